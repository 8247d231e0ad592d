/**
 * Durable storage for raftkv: a segmented write-ahead log ({@link raftkv.storage.SegmentedLog})
 * with group commit ({@link raftkv.storage.WalWriter}), hard state
 * ({@link raftkv.storage.HardStateStore}), snapshot files ({@link raftkv.storage.SnapshotStore})
 * and crash recovery. All file access goes through {@link raftkv.storage.fs.StorageFiles} so the
 * deterministic simulator can plug in {@link raftkv.storage.fs.SimulatedFiles}.
 *
 * <p>This module does not depend on the raft core: log records are the generic
 * {@link raftkv.storage.LogRecord}{@code (index, term, payload)}.
 */
package raftkv.storage;
