package raftkv.raft;

import java.util.List;

import raftkv.raft.Message.AppendRequest;
import raftkv.raft.Message.AppendResponse;
import raftkv.raft.Message.Heartbeat;
import raftkv.raft.Message.HeartbeatResponse;
import raftkv.raft.Message.SnapshotChunk;
import raftkv.raft.Message.SnapshotResponse;

/**
 * A follower's side of replication: the consistency check of AppendEntries (§5.3), heartbeats, and
 * InstallSnapshot (§7) in chunks. The core has already made the sender our leader.
 *
 * <p>Answers that claim entries are held (successful appends, installed snapshots) leave only
 * after the Ready's write is durable ({@link NodeState#sendAfterPersist}): a leader counting an
 * entry we then lost in a crash could commit it without a real majority.
 */
final class FollowerReplication {
    private final NodeState s;
    /** A snapshot whose chunks are still arriving. */
    private SnapshotAssembly incoming;

    FollowerReplication(NodeState s) {
        this.s = s;
    }

    void onAppendRequest(AppendRequest r) {
        RaftLog log = s.log;
        long prevIndex = r.prevIndex();
        long prevTerm = r.prevTerm();
        List<Entry> entries = r.entries();
        long commit = log.commitIndex();
        if (prevIndex < commit) {
            // Everything up to our commit index is committed and so matches the leader's log
            // (Leader Completeness, Log Matching): check consistency from there instead.
            if (r.lastIndex() <= commit) {
                s.sendAfterPersist(new AppendResponse(s.id, r.from(), s.term, true, commit, 0, 0, r.round()));
                return;
            }
            entries = entries.subList((int) (commit - prevIndex), entries.size());
            prevIndex = commit;
            prevTerm = log.termAt(commit);
        }
        if (log.matches(prevIndex, prevTerm)) {
            log.appendFollowerEntries(entries);
            long lastNew = prevIndex + entries.size();
            log.commitTo(Math.min(r.commit(), lastNew));
            s.sendAfterPersist(new AppendResponse(s.id, r.from(), s.term, true, lastNew, 0, 0, r.round()));
            return;
        }
        long conflictIndex;
        long conflictTerm;
        if (prevIndex > log.lastIndex()) {
            conflictIndex = log.lastIndex() + 1;
            conflictTerm = 0;
        } else {
            conflictTerm = log.termAt(prevIndex);
            conflictIndex = log.firstIndexOfTermAt(prevIndex);
        }
        s.send(new AppendResponse(s.id, r.from(), s.term, false, r.prevIndex(), conflictIndex, conflictTerm, r.round()));
    }

    void onHeartbeat(Heartbeat h) {
        s.log.commitTo(Math.min(h.commit(), s.log.lastIndex()));
        s.send(new HeartbeatResponse(s.id, h.from(), s.term, h.round()));
    }

    void onSnapshotChunk(SnapshotChunk c) {
        SnapshotMeta meta = c.meta();
        if (meta.index() <= s.log.commitIndex()) {
            // We already have everything it holds; the leader can resume from our commit index.
            // That claim covers entries that may still be on their way to our disk (the commit index
            // runs ahead of it), so it leaves only after they are durable: sent at once, it let the
            // leader count (and, after our crash, wait forever for) entries we had lost.
            incoming = null;
            s.sendAfterPersist(new SnapshotResponse(s.id, c.from(), s.term, s.log.commitIndex(), 0, true));
            return;
        }
        if (c.offset() == 0 && (incoming == null || !incoming.meta.equals(meta) || incoming.size() > 0)) {
            incoming = new SnapshotAssembly(meta);
        }
        if (incoming == null || !incoming.meta.equals(meta) || c.offset() != incoming.size()) {
            long expected = incoming != null && incoming.meta.equals(meta) ? incoming.size() : 0;
            s.send(new SnapshotResponse(s.id, c.from(), s.term, 0, expected, false));
            return;
        }
        incoming.append(c.data());
        if (!c.done()) {
            s.send(new SnapshotResponse(s.id, c.from(), s.term, 0, incoming.size(), false));
            return;
        }
        Snapshot snapshot = incoming.build();
        incoming = null;
        s.log.restore(meta);
        s.conf = meta.configuration();
        s.latestSnapshot = snapshot;
        s.snapshotToInstall = snapshot;
        s.sendAfterPersist(new SnapshotResponse(s.id, c.from(), s.term, meta.index(), snapshot.data().length, true));
    }
}
