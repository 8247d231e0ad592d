package raftkv.sim;

import raftkv.raft.Message;
import raftkv.raft.RaftCore;

/** Short, stable descriptions of Raft messages for the trace. */
final class MessageText {
    private MessageText() {}

    static String of(Message m) {
        return switch (m) {
            case Message.AppendRequest a -> "append t" + a.term() + " prev " + a.prevIndex() + "@" + a.prevTerm()
                    + " n" + a.entries().size() + " commit " + a.commit();
            case Message.AppendResponse r -> "append-resp t" + r.term() + (r.success() ? " ok " : " no ") + r.index()
                    + " hint " + r.conflictIndex() + "@" + r.conflictTerm();
            case Message.VoteRequest v -> (v.preVote() ? "prevote" : "vote") + " t" + v.term() + " last "
                    + v.lastLogIndex() + "@" + v.lastLogTerm() + (v.transfer() ? " transfer" : "")
                    + (v.leaderSilent() ? " leader-silent" : "");
            case Message.VoteResponse v -> (v.preVote() ? "prevote-resp" : "vote-resp") + " t" + v.term()
                    + (v.granted() ? " yes" : " no") + (v.leaseTicksLeft() > 0 ? " lease " + v.leaseTicksLeft() : "")
                    + (v.leaderHint() != RaftCore.NONE ? " leader " + v.leaderHint() : "");
            case Message.Heartbeat h -> "hb t" + h.term() + " commit " + h.commit() + " round " + h.round();
            case Message.HeartbeatResponse h -> "hb-resp t" + h.term() + " round " + h.round();
            case Message.SnapshotChunk s -> "snapshot t" + s.term() + " " + s.meta().index() + "@" + s.meta().term()
                    + " off " + s.offset() + " len " + s.data().length + (s.done() ? " done" : "");
            case Message.SnapshotResponse s -> "snapshot-resp t" + s.term() + " " + s.index() + " next " + s.nextOffset()
                    + (s.installed() ? " installed" : "");
            case Message.TimeoutNow t -> "timeout-now t" + t.term();
        };
    }
}
