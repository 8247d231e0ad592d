/**
 * Deterministic cluster simulator. {@link raftkv.sim.SimulateTool} runs seeds; each seed
 * ({@code SimRun}) builds N real {@code RaftNode}s on one virtual clock, a {@code SimNetwork}
 * (drops, delays with a tail, duplicates between nodes, partitions), a {@code SimDisk} per node
 * (the storage module's real DurableStorage over simulated files, with fsync latency: a crash
 * loses or tears unsynced writes, a restart recovers from the files), a {@code Nemesis}
 * (partitions, crashes and restarts, whole-cluster power outages, bit flips inside a crashed
 * node's log, pauses), session clients ({@code SimClient}) whose operations a
 * {@code HistoryRecorder} keeps, and an {@code InvariantMonitor} (one leader per term, committed
 * entries never change, replicas agree). The history then goes to the linearizability checker.
 * All randomness comes from one generator seeded with the seed, so a seed reproduces exactly.
 */
package raftkv.sim;
