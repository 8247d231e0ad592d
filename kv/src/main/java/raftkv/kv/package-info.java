/**
 * The replicated key-value state machine: commands and results, their binary codec, the sorted
 * store, client sessions (exactly-once writes) and deterministic snapshots.
 *
 * <p>Nothing here depends on the raft module: the node hands committed entries in as
 * {@code (long index, byte[] command)} to {@link raftkv.kv.KvStateMachine#apply(long, byte[])}.
 * Everything is deterministic: no clocks, no randomness, no hash-order iteration.
 */
package raftkv.kv;
