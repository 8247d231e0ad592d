/**
 * JMH benchmarks. {@link raftkv.bench.RaftCoreBench} measures the consensus core alone: committed
 * entries per second of a 3-node group wired in memory by {@link raftkv.bench.InMemoryRaftGroup}.
 */
package raftkv.bench;
