package raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import raftkv.kv.Bytes;
import raftkv.kv.KvCommand;
import raftkv.kv.KvResult;
import raftkv.raft.Configuration;
import raftkv.raft.Message;
import raftkv.raft.RaftConfig;
import raftkv.raft.Role;

/**
 * A leader serving lease reads whose tick timer fires late (a busy machine, a GC pause) must not
 * judge its lease on the tick count of before the pause: meanwhile the followers' promises ran
 * out on their own clocks, and another leader may have been elected and have committed a write.
 */
class LeaseAfterPauseTest {
    private final VirtualScheduler time = new VirtualScheduler();
    private final Map<Integer, RaftNode> nodes = new TreeMap<>();
    /** Extra delay on each node's timers: its loop is too busy to run them on time. */
    private final Map<Integer, Long> timerLag = new HashMap<>();
    private Set<Integer> cutOff = Set.of();

    private RaftNode start(int id, Configuration members) {
        EventLoop base = time.loop(() -> true);
        EventLoop lagging = new EventLoop() {
            @Override
            public void execute(Runnable task) {
                base.execute(task);
            }

            @Override
            public Cancellable schedule(long delayMillis, Runnable task) {
                return base.schedule(delayMillis + timerLag.getOrDefault(id, 0L), task);
            }

            @Override
            public long nowMillis() {
                return base.nowMillis();
            }
        };
        RaftConfig raft = RaftConfig.defaults(id).withElectionTicks(10, 2).withLeaseReads(true);
        NodeConfig cfg = NodeConfig.defaults(id).withRaft(raft).withTiming(10, 10_000);
        RaftNode n = new RaftNode(cfg, members, lagging, this::deliver, new MemoryStorage(),
                RandomGeneratorFactory.of("L64X128MixRandom").create(id));
        n.start();
        return n;
    }

    private void deliver(Message m) {
        if (cutOff.contains(m.from()) != cutOff.contains(m.to())) return;
        time.after(1, () -> nodes.get(m.to()).receive(m));
    }

    private Reply call(int at, Request req, long withinMillis) {
        List<Reply> out = new ArrayList<>();
        time.at(time.nowMillis(), () -> nodes.get(at).submit(req, out::add));
        for (long t = 0; t < withinMillis && out.isEmpty(); t++) time.runFor(1);
        return out.isEmpty() ? null : out.getFirst();
    }

    private int leaderOtherThan(int not) {
        for (var e : nodes.entrySet()) if (e.getKey() != not && e.getValue().role() == Role.LEADER) return e.getKey();
        return -1;
    }

    @Test
    void aReadAfterAPauseIsNotServedFromALeaseThatRanOutMeanwhile() {
        Configuration members = Configuration.ofVoters(Set.of(1, 2, 3));
        for (int id = 1; id <= 3; id++) nodes.put(id, start(id, members));
        int old = -1;
        for (int i = 0; i < 300 && old == -1; i++) {
            time.runFor(10);
            old = leaderOtherThan(-1);
        }
        Bytes x = Bytes.utf8("x");
        assertThat(call(old, new Request.Write(new KvCommand.Put(x, Bytes.utf8("old"))), 1_000)).isInstanceOf(Reply.Done.class);

        // The old leader's timers now run 1 s late, and it is cut off from the others.
        timerLag.put(old, 1_000L);
        time.runFor(10); // its pending tick fires once more, on time
        cutOff = Set.of(old);
        int next = -1;
        for (int i = 0; i < 50 && next == -1; i++) {
            time.runFor(10);
            next = leaderOtherThan(old);
        }
        assertThat(next).as("the others elect a leader while the old one's ticks stand still").isNotEqualTo(-1);
        assertThat(call(next, new Request.Write(new KvCommand.Put(x, Bytes.utf8("new"))), 200)).isInstanceOf(Reply.Done.class);

        Reply read = call(old, new Request.Read(x, false), 50);
        assertThat(read).as("a read at the old leader must not return the overwritten value")
                .isNotEqualTo(new Reply.Done(new KvResult.Value(Bytes.utf8("old"))));
    }
}
