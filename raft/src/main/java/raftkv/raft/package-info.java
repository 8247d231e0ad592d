/**
 * The consensus core: a pure, deterministic Raft state machine.
 *
 * <p>Nothing in this package touches threads, sockets, files, clocks or global randomness. The
 * runtime feeds it {@link raftkv.raft.RaftCore#tick() ticks}, {@link raftkv.raft.Message messages}
 * and client requests, and takes back a {@link raftkv.raft.Ready} describing what to persist, send
 * and apply. The same code therefore runs in the real server, in the course simulator and in the
 * deterministic cluster simulator.
 */
package raftkv.raft;
