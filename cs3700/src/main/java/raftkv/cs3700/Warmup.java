package raftkv.cs3700;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Readies the JIT before the real replica starts. At the course simulator's request rate (a few
 * dozen messages a second) the code a request runs through would stay interpreted or barely
 * compiled for most of a run, at several hundred microseconds a hop. So, in the seconds a replica
 * must wait anyway (the start-up trap), a private three-replica cluster wired together in memory
 * serves requests through the very same code: JSON, relay chains, the node, the core, the store.
 * Nothing of it leaves the process, and it is gone before the real replica starts.
 */
final class Warmup {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> IDS = List.of("0000", "0001", "0002");
    private static final String CLIENT = "0013";
    /**
     * Short timeouts, for a leader in well under a second; yet spread wide enough (200-400 ms) that
     * a stall (the CPU is contended while replicas start) does not time every node out at once,
     * election after election. A stall longer than the timeout still does (the loops of replicas
     * starting together owed up to 143 ticks at a firing): of five replicas in one advanced-4 run,
     * two served no warm-up request at all (cs3700/REPLICA.md, "Clocks that stood still").
     */
    private static final ReplicaTuning TUNING = new ReplicaTuning(5, 40, 8, 2, 0, 1_000);

    private final Map<String, Replica> replicas = new ConcurrentHashMap<>();
    private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
    private volatile boolean over;

    private Warmup() {}

    /** Runs requests through a private cluster until {@code deadlineMillis} (wall clock); returns how many were answered. */
    static int runUntil(long deadlineMillis) {
        return new Warmup().run(deadlineMillis);
    }

    private int run(long deadlineMillis) {
        for (String id : IDS) {
            List<String> peers = new ArrayList<>(IDS);
            peers.remove(id);
            replicas.put(id, new Replica(id, peers, new MemoryLink(), TUNING).silent());
        }
        replicas.values().forEach(r -> r.start(0));
        int answered = 0;
        String target = IDS.getFirst();
        try {
            for (int i = 0; System.currentTimeMillis() < deadlineMillis; i++) {
                ObjectNode req = JSON.createObjectNode();
                req.put("src", CLIENT).put("dst", target).put("leader", "FFFF");
                req.put("type", i % 5 == 4 ? "get" : "put").put("MID", "warmup" + i).put("key", "k" + (i % 17));
                if (i % 5 != 4) req.put("value", "v" + i);
                replicas.get(target).onRaw(req.toString());
                JsonNode reply = replies.poll(200, TimeUnit.MILLISECONDS);
                if (reply == null) continue;
                String leader = reply.path("leader").asText("FFFF");
                if (reply.path("type").asText().equals("ok")) answered++;
                if (replicas.containsKey(leader)) target = leader;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            over = true;
            replicas.values().forEach(Replica::stop);
        }
        return answered;
    }

    /** Routes a replica's messages to the other private replicas and the private client. */
    private final class MemoryLink implements SimulatorLink {
        @Override
        public void send(String json) throws IOException {
            if (over) return;
            JsonNode msg = JSON.readTree(json);
            String dst = msg.path("dst").asText();
            Replica to = replicas.get(dst);
            if (to != null) {
                to.onRaw(json);
            } else if (dst.equals(CLIENT)) {
                replies.add(msg);
            }
        }

        @Override
        public void attach(SelectorLoop loop, Consumer<String> onMessage, Runnable onClosed) {
            throw new UnsupportedOperationException("the private cluster delivers by calling onRaw");
        }
    }
}
