/**
 * The bridge from the node runtime to durable storage:
 * {@link raftkv.storage.node.DurableStorage} implements {@code raftkv.node.Storage} on top of
 * {@link raftkv.storage.NodeStorage}, converting Raft entries, hard state and snapshots
 * (membership encoded by {@link raftkv.storage.node.ConfigurationCodec}) to the storage layer's
 * own records. The only part of this module that knows the Raft types.
 */
package raftkv.storage.node;
