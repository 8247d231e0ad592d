package raftkv.cs3700.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One run of one config in one generation against real replica processes.
 *
 * <p>Everything happens on the calling thread, which waits in one place, an {@link EventLoop}:
 * the transport reads and handles replica messages there as they arrive (no handoff to another
 * thread, whose wakeup would add to every latency figure), process-watching threads post exit
 * notices there, and timed actions (requests, faults, the end) sit on a timeline.
 * Bad input from replicas is handled like this: non-UTF-8 bytes mark the sender dead (PROTOCOL.md);
 * anything else malformed (not JSON, not an object, a missing or non-string src/dst/leader/type, a
 * dst that is neither a replica, a client nor FFFF) is logged and dropped, uncounted.
 */
final class Simulation {
    static final int MAX_PACKETS = 20000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MALFORMED_NOTES = 10;

    private record Timed(long at, long seq, Runnable action) {}

    private final TestConfig config;
    private final Generation generation;
    private final List<String> command;
    private final HarnessOptions options;
    private final PrintStream log;
    private final long seed;
    private final List<String> replicas = new ArrayList<>();
    private final Random planRng;
    private final Random netRng;
    private final PriorityQueue<Timed> timeline = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final Set<String> killed = new HashSet<>();
    private final Set<String> dead = new HashSet<>();
    private final List<String> died = new ArrayList<>();
    private final Clients clients;
    private ReplicaTransport transport;
    private ReplicaProcesses processes;
    private MessageTrace trace = MessageTrace.none();
    private Set<String> partitionSide;
    private String believedLeader = Clients.NOBODY;
    private long startAt;
    private long timelineSeq;
    private long totalMsgs;
    private long dropped;
    private int malformed;
    private boolean storm;
    private boolean finished;
    /** Counted messages by their {@code type}: where a run's message count goes (printed at the end). */
    private final java.util.Map<String, Integer> countedByType = new java.util.TreeMap<>();

    Simulation(TestConfig config, Generation generation, List<String> command, HarnessOptions options, PrintStream log) {
        this.config = config;
        this.generation = generation;
        this.command = List.copyOf(command);
        this.options = options;
        this.log = log;
        this.seed = options.seedFor(config);
        this.planRng = new Random(seed);
        this.netRng = new Random(seed * 31 + 17);
        for (int i = 0; i < config.replicas(); i++) replicas.add(TestConfig.replicaId(i));
        int clientCount = options.clients() > 0 ? options.clients() : config.replicas();
        List<String> clientIds = new ArrayList<>();
        for (int i = 0; i < clientCount; i++) clientIds.add(config.clientId(i));
        this.clients = new Clients(clientIds, new Random(seed * 131 + 29), new Clients.Network() {
            @Override public void fromClient(String replica, byte[] json) {
                trace.record("client", "-", replica, json);
                deliver(replica, json);
            }
            @Override public List<String> pickable() { return live(); }
            @Override public void note(String text) { Simulation.this.note(text); }
        });
    }

    RunFigures run() throws IOException {
        Path workDir = Files.createTempDirectory("raftkv-cs3700-" + config.name() + "-" + generation + "-");
        try (EventLoop events = new EventLoop(this::handle);
                ReplicaTransport t = generation == Generation.A
                        ? new UdpTransport(replicas, events) : new UnixTransport(workDir, replicas, events);
                ReplicaProcesses p = new ReplicaProcesses(workDir, events::post)) {
            transport = t;
            processes = p;
            long launchedAt = System.nanoTime();
            startAt = launchedAt + seconds(options.startDelaySeconds());
            if (options.keepWorkDirs()) trace = MessageTrace.into(workDir, startAt);
            for (String id : replicas) {
                List<String> peers = new ArrayList<>(replicas);
                peers.remove(id);
                Collections.shuffle(peers, planRng);
                processes.start(id, command, transport.argv(id, peers));
            }
            planRequests();
            for (TestConfig.Event e : config.events()) schedule(startAt + seconds(e.time()), () -> onEvent(e.type()));
            schedule(startAt + seconds(config.lifetime() + config.endWait()), () -> finished = true);
            try (MessageTrace t2 = trace) {
                loop(events);
                note("counted messages by type: " + countedByType);
                for (String u : clients.unansweredDescriptions(at -> String.format(Locale.ROOT, "%+.3f", (at - startAt) / 1e9))) {
                    note("unanswered: " + u);
                }
                note("reply latencies: " + clients.latencySummary());
            }
        }
        return new RunFigures(config.name(), generation, seed, died, totalMsgs, dropped,
                clients.gets(), clients.puts(), clients.duplicates, clients.failReplies,
                clients.unansweredGets(), clients.unansweredPuts(), clients.redirects, clients.incorrect(),
                clients.medianLatencySeconds(), clients.keyStored(), clients.getGenerationFails,
                clients.getGenerationAttempts, storm, workDir.toString());
    }

    /**
     * Requests are spread evenly (with seeded jitter inside each slot) over the lifetime minus an
     * end margin of min(2 s, 10% of the lifetime), so the last ones have time to be answered even
     * without end_wait; each goes from a random client and is a get with probability mix.
     */
    private void planRequests() {
        double margin = Math.min(2.0, config.lifetime() * 0.1);
        double span = config.lifetime() - margin;
        int clientCount = options.clients() > 0 ? options.clients() : config.replicas();
        for (int i = 0; i < config.requests(); i++) {
            double at = (i + planRng.nextDouble()) * span / config.requests();
            int client = planRng.nextInt(clientCount);
            boolean get = planRng.nextDouble() < config.mix();
            schedule(startAt + seconds(at), () -> clients.issue(client, get, System.nanoTime()));
        }
    }

    /** Runs due timeline actions; in between, waits for (and handles) I/O until the next one is due. */
    private void loop(EventLoop events) throws IOException {
        while (!finished) {
            Timed next = timeline.peek();
            long wait = next == null ? TimeUnit.MILLISECONDS.toNanos(100) : next.at - System.nanoTime();
            if (next != null && wait <= 0) {
                timeline.poll();
                next.action.run();
                continue;
            }
            events.runOnce(wait);
            if (Thread.currentThread().isInterrupted()) {
                note("interrupted; ending the run");
                return;
            }
        }
    }

    /** Called by the event loop for each event; once the run is over, the rest of a batch is ignored. */
    private void handle(SimEvent event) {
        if (finished) return;
        switch (event) {
            case SimEvent.FromReplica m -> fromReplica(m.sender(), m.payload());
            case SimEvent.TransportNote n -> note((n.replica() == null ? "" : n.replica() + ": ") + n.what());
            case SimEvent.Exited x -> {
                if (!killed.contains(x.replica())) markDead(x.replica(), "exited on its own with status " + x.exitCode());
            }
        }
    }

    private void fromReplica(String sender, byte[] payload) {
        if (sender != null && (killed.contains(sender) || dead.contains(sender))) return;
        String text = strictUtf8(payload);
        if (text == null) {
            if (sender != null) markDead(sender, "sent bytes that are not UTF-8");
            else malformed("non-UTF-8 datagram from an address that never said hello");
            return;
        }
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
        } catch (IOException e) {
            malformed("not JSON from " + who(sender) + ": " + abbreviate(text));
            return;
        }
        if (msg == null || !msg.isObject()) {
            malformed("not a JSON object from " + who(sender) + ": " + abbreviate(text));
            return;
        }
        for (String field : List.of("src", "dst", "leader", "type")) {
            if (!msg.path(field).isTextual()) {
                malformed("missing or non-string '" + field + "' from " + who(sender) + ": " + abbreviate(text));
                return;
            }
        }
        String src = msg.get("src").asText();
        String dst = msg.get("dst").asText();
        String from = sender != null ? sender : replicas.contains(src) ? src : null;
        if (from == null) {
            malformed("message from an unknown sender: " + abbreviate(text));
            return;
        }
        trackLeader(msg.get("leader").asText());
        String type = msg.get("type").asText();
        if (clients.isClient(dst)) {
            trace.record("client", from, dst, payload);
            clients.onReply(dst, msg, System.nanoTime());
        } else if (dst.equals(Clients.NOBODY)) {
            for (String other : replicas) {
                if (!other.equals(from) && count(type)) route(from, other, payload);
            }
        } else if (replicas.contains(dst)) {
            if (count(type)) route(from, dst, payload);
        } else {
            malformed("unknown dst '" + dst + "' from " + from + ": " + abbreviate(text));
        }
    }

    /** Counts one message between replicas; false once the packet storm limit stops the run. */
    private boolean count(String type) {
        if (storm) return false;
        totalMsgs++;
        countedByType.merge(type, 1, Integer::sum);
        if (totalMsgs > MAX_PACKETS) {
            storm = true;
            finished = true;
            note("packet storm: more than " + MAX_PACKETS + " messages between replicas; stopping");
            return false;
        }
        return true;
    }

    private void route(String from, String to, byte[] payload) {
        if (partitionSide != null && partitionSide.contains(from) != partitionSide.contains(to)) {
            dropped++;
            trace.record("cut", from, to, payload);
        } else if (config.drops() > 0 && netRng.nextDouble() < config.drops()) {
            dropped++;
            trace.record("dropped", from, to, payload);
        } else {
            trace.record("delivered", from, to, payload);
            deliver(to, payload);
        }
    }

    /** Delivers to a replica; the start-up trap marks a replica dead that is not yet reachable. */
    private void deliver(String to, byte[] payload) {
        if (killed.contains(to) || dead.contains(to)) return;
        if (!transport.ready(to)) {
            markDead(to, generation == Generation.A
                    ? "a message had to be delivered before it said hello"
                    : "a message had to be delivered before it connected");
            return;
        }
        transport.send(to, payload);
    }

    private void trackLeader(String leader) {
        if (replicas.contains(leader) && !killed.contains(leader)) believedLeader = leader;
    }

    private void onEvent(String type) {
        switch (type) {
            case "kill_leader" -> {
                if (replicas.contains(believedLeader) && !killed.contains(believedLeader)) {
                    kill(believedLeader, "kill_leader");
                } else {
                    note("kill_leader: no leader known, nobody killed");
                }
                believedLeader = Clients.NOBODY;
                clients.forgetLeaders();
            }
            case "kill_non_leader" -> {
                List<String> candidates = new ArrayList<>(live());
                candidates.remove(believedLeader);
                if (candidates.isEmpty()) note("kill_non_leader: no candidate");
                else kill(candidates.get(planRng.nextInt(candidates.size())), "kill_non_leader");
            }
            case "part_easy" -> partition(true);
            case "part_hard" -> {
                partition(false);
                clients.forgetLeaders();
            }
            case "part_end" -> {
                partitionSide = null;
                note("part_end: network healed");
            }
            default -> throw new IllegalStateException("unknown event " + type);
        }
    }

    /** A majority side (3 of 5): with the believed leader (easy, when one is known) or random (hard). */
    private void partition(boolean withLeader) {
        List<String> shuffled = new ArrayList<>(replicas);
        Collections.shuffle(shuffled, planRng);
        Set<String> side = new LinkedHashSet<>();
        if (withLeader && replicas.contains(believedLeader)) side.add(believedLeader);
        for (String id : shuffled) {
            if (side.size() >= replicas.size() / 2 + 1) break;
            side.add(id);
        }
        partitionSide = side;
        note((withLeader ? "part_easy" : "part_hard") + ": majority side " + side + " (leader believed " + believedLeader + ")");
    }

    private void kill(String id, String why) {
        killed.add(id);
        note(why + ": SIGTERM to " + id);
        processes.terminate(id);
    }

    private List<String> live() {
        return replicas.stream().filter(r -> !killed.contains(r) && !dead.contains(r)).toList();
    }

    private void markDead(String id, String reason) {
        if (dead.add(id)) {
            died.add(id + ": " + reason);
            note("replica " + id + " is dead: " + reason);
        }
    }

    private void malformed(String what) {
        malformed++;
        if (malformed <= MALFORMED_NOTES) note("dropped malformed input: " + what);
        else if (malformed == MALFORMED_NOTES + 1) note("(further malformed input not logged)");
    }

    private void schedule(long at, Runnable action) {
        timeline.add(new Timed(at, timelineSeq++, action));
    }

    private void note(String text) {
        trace.note(text);
        if (options.verbose()) {
            log.printf(Locale.ROOT, "  [%s %s %+8.3f] %s%n", config.name(), generation,
                    (System.nanoTime() - startAt) / 1e9, text);
        }
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String who(String sender) {
        return sender == null ? "an unknown address" : sender;
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }
}
