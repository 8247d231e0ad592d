/**
 * Durable storage for raftkv: a segmented write-ahead log ({@link raftkv.storage.SegmentedLog})
 * with group commit ({@link raftkv.storage.WalWriter}), hard state
 * ({@link raftkv.storage.HardStateStore}), snapshot files ({@link raftkv.storage.SnapshotStore})
 * and crash recovery. All file access goes through {@link raftkv.storage.fs.StorageFiles} so the
 * deterministic simulator can plug in {@link raftkv.storage.fs.SimulatedFiles}.
 *
 * <p>This package does not know the raft core: log records are the generic
 * {@link raftkv.storage.LogRecord}{@code (index, term, payload)}. The adapter to the node runtime
 * lives apart, in {@code raftkv.storage.node}.
 */
package raftkv.storage;
