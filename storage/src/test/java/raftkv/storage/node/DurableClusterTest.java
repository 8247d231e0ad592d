package raftkv.storage.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.random.RandomGeneratorFactory;

import org.junit.jupiter.api.Test;

import raftkv.kv.Bytes;
import raftkv.kv.KvCommand;
import raftkv.kv.KvResult;
import raftkv.node.EventLoop;
import raftkv.node.NodeConfig;
import raftkv.node.RaftNode;
import raftkv.node.Reply;
import raftkv.node.Request;
import raftkv.node.VirtualScheduler;
import raftkv.raft.Configuration;
import raftkv.raft.Message;
import raftkv.raft.RaftConfig;
import raftkv.raft.Role;
import raftkv.storage.WalOptions;
import raftkv.storage.fs.SimulatedFiles;

/**
 * Three real nodes on virtual time, each durable through {@link DurableStorage} over its own
 * simulated disk (synchronous writer, so a run is deterministic). The whole cluster loses power
 * with writes in flight; restarted from their files, the nodes elect a leader that serves every
 * write that had been acknowledged.
 */
class DurableClusterTest {

    private static final Path DIR = Path.of("/node");

    /** The small part of the node module's test cluster this needs: 1 ms network, crash, restart. */
    private static final class Cluster {
        final VirtualScheduler time = new VirtualScheduler();
        final Map<Integer, RaftNode> nodes = new TreeMap<>();
        final Map<Integer, SimulatedFiles> disks = new TreeMap<>();
        final Map<Integer, DurableStorage> storages = new TreeMap<>();
        final Configuration members = Configuration.ofVoters(Set.of(1, 2, 3));
        final long seed;
        final long snapshotEvery;
        int starts;
        boolean powerOff;

        Cluster(long seed, long snapshotEvery) throws IOException {
            this.seed = seed;
            this.snapshotEvery = snapshotEvery;
            for (int id = 1; id <= 3; id++) {
                disks.put(id, new SimulatedFiles(new SplittableRandom(seed * 10 + id)));
                start(id);
            }
        }

        void start(int id) throws IOException {
            int incarnation = ++starts;
            RaftNode[] self = new RaftNode[1];
            EventLoop loop = time.loop(() -> !powerOff && nodes.get(id) == self[0]);
            DurableStorage storage = DurableStorage.open(disks.get(id), DIR, WalOptions.withSegmentBytes(2048), false, loop);
            NodeConfig cfg = NodeConfig.defaults(id).withSnapshotEvery(snapshotEvery)
                    .withRaft(new RaftConfig(id, 10, 1, 64, 1 << 20, 1 << 20, true, true));
            self[0] = new RaftNode(cfg, members, loop, this::deliver, storage,
                    RandomGeneratorFactory.of("L64X128MixRandom").create(seed * 1000 + incarnation));
            nodes.put(id, self[0]);
            storages.put(id, storage);
            self[0].start();
        }

        private void deliver(Message m) {
            if (powerOff) return;
            time.after(1, () -> {
                if (!powerOff) nodes.get(m.to()).receive(m);
            });
        }

        /** Every node loses power at once: unsynced bytes are lost or torn, processes are gone. */
        void crashAll() {
            powerOff = true;
            for (RaftNode n : nodes.values()) n.stop();
            for (SimulatedFiles d : disks.values()) d.crash(true);
        }

        void restartAll() throws IOException {
            time.runFor(1); // let the dead incarnations' queued tasks drain (they are skipped)
            powerOff = false;
            for (int id = 1; id <= 3; id++) start(id);
        }

        int awaitLeader() {
            for (int i = 0; i < 300; i++) {
                time.runFor(10);
                for (var e : nodes.entrySet()) if (e.getValue().role() == Role.LEADER) return e.getKey();
            }
            throw new AssertionError("no leader elected");
        }

        /** Submits on a node and runs virtual time until answered. */
        Reply call(int at, Request req) {
            List<Reply> out = new ArrayList<>();
            time.at(time.nowMillis(), () -> nodes.get(at).submit(req, out::add));
            for (int i = 0; i < 10_000 && out.isEmpty(); i++) time.runFor(1);
            if (out.size() != 1) throw new AssertionError("expected one reply, got " + out);
            return out.getFirst();
        }
    }

    private static Request put(String k, String v) {
        return new Request.Write(new KvCommand.Put(Bytes.utf8(k), Bytes.utf8(v)));
    }

    private static Request get(String k) {
        return new Request.Read(Bytes.utf8(k), false);
    }

    @Test
    void everyAcknowledgedWriteSurvivesAWholeClusterPowerLoss() throws IOException {
        for (long seed = 1; seed <= 4; seed++) {
            Cluster c = new Cluster(seed, 7); // frequent snapshots: saveSnapshot and log compaction are exercised
            Map<String, String> acknowledged = new LinkedHashMap<>();
            int leader = c.awaitLeader();
            for (int i = 0; i < 40; i++) {
                String k = "k" + (i % 25);
                String v = "v" + i + "-seed" + seed;
                Reply r = c.call(leader, put(k, v));
                if (r instanceof Reply.Done) {
                    acknowledged.put(k, v);
                } else {
                    acknowledged.remove(k); // outcome unknown: its value is not asserted
                    leader = c.awaitLeader();
                }
            }
            // Writes still in flight when the power goes: they may or may not survive.
            List<Reply> inFlight = new ArrayList<>();
            int l = leader;
            c.time.at(c.time.nowMillis(), () -> {
                for (int i = 0; i < 5; i++) c.nodes.get(l).submit(put("late" + i, "x"), inFlight::add);
            });
            c.time.runFor(1);
            for (DurableStorage s : c.storages.values()) assertThat(s.failure()).isNull();
            for (SimulatedFiles d : c.disks.values()) {
                assertThat(d.list(DIR.resolve("snapshots"))).as("seed %d: every node compacted its log", seed).isNotEmpty();
            }
            c.crashAll();
            c.restartAll();

            int newLeader = c.awaitLeader();
            assertThat(acknowledged).as("seed %d: writes were acknowledged", seed).hasSizeGreaterThan(20);
            for (var e : acknowledged.entrySet()) {
                Reply r = c.call(newLeader, get(e.getKey()));
                assertThat(r).as("seed %d: read of %s", seed, e.getKey()).isInstanceOf(Reply.Done.class);
                assertThat(((Reply.Done) r).result()).as("seed %d: %s", seed, e.getKey())
                        .isEqualTo(new KvResult.Value(Bytes.utf8(e.getValue())));
            }
            // And the cluster still works after the restart.
            assertThat(c.call(newLeader, put("after", "restart"))).isInstanceOf(Reply.Done.class);
        }
    }
}
