package raftkv.cs3700.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The emulated clients: they issue gets and puts, follow redirects, retry fails, remember the
 * leader, and judge every reply (duplicates, incorrect replies, linearizability of get values).
 *
 * <p>Choices where PROTOCOL.md is silent: a get reads a random key that has been stored (a put
 * answered ok); when no key is stored yet the get cannot be generated (counted as a "get
 * generation failure") and a put is sent instead. A put writes a fresh random key half the time
 * and an already written key otherwise, always with a fresh unique value. A request goes to the
 * client's known leader, else to a random replica that is neither killed nor dead; a request
 * sent to a replica that has been killed since the client learned of it is lost (it stays
 * unanswered), as it would be with a real process gone.
 */
final class Clients {
    static final String NOBODY = "FFFF";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /** What the clients need from the simulated network. */
    interface Network {
        /** Client-to-replica messages: never dropped, never partitioned, never counted. */
        void fromClient(String replica, byte[] json);

        /** Replicas a client may pick at random: not killed and not dead. */
        List<String> pickable();

        /** Notes for the run log. */
        void note(String text);
    }

    private enum State { WAITING, OK, ABANDONED }

    private static final class Client {
        final String id;
        String leader = NOBODY;

        Client(String id) {
            this.id = id;
        }
    }

    private static final class Request {
        final Client client;
        final boolean get;
        final String key;
        final String value;
        boolean answered;
        long firstSentAt = Long.MIN_VALUE;
        /** Where and when its latest attempt went: explains it when it stays unanswered. */
        String lastSentTo;
        long lastSentAt;

        Request(Client client, boolean get, String key, String value) {
            this.client = client;
            this.get = get;
            this.key = key;
            this.value = value;
        }
    }

    private static final class Attempt {
        final Request request;
        final long sentAt;
        State state = State.WAITING;

        Attempt(Request request, long sentAt) {
            this.request = request;
            this.sentAt = sentAt;
        }
    }

    private final List<Client> clients = new ArrayList<>();
    private final Random rng;
    private final Network network;
    private final ConsistencyChecker checker = new ConsistencyChecker();
    private final Map<String, Attempt> attempts = new HashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private final List<String> storedKeys = new ArrayList<>();
    private final Set<String> storedKeySet = new HashSet<>();
    private final List<String> writtenKeys = new ArrayList<>();
    private final Set<String> writtenKeySet = new HashSet<>();
    private final List<Long> latencies = new ArrayList<>();
    /** Latencies of ok replies to gets, to puts, and of redirect or fail replies: they explain the median. */
    private final List<Long> getOkLatencies = new ArrayList<>();
    private final List<Long> putOkLatencies = new ArrayList<>();
    private final List<Long> bounceLatencies = new ArrayList<>();
    private final List<String> incorrect = new ArrayList<>();
    private long midCounter;
    private long valueCounter;
    int duplicates;
    int failReplies;
    int redirects;
    int getGenerationFails;
    int getGenerationAttempts;

    Clients(List<String> clientIds, Random rng, Network network) {
        clientIds.forEach(id -> clients.add(new Client(id)));
        this.rng = rng;
        this.network = network;
    }

    boolean isClient(String id) {
        return clients.stream().anyMatch(c -> c.id.equals(id));
    }

    /** Issues one new logical request from client {@code index}. */
    void issue(int index, boolean wantGet, long now) {
        Client client = clients.get(index % clients.size());
        Request request;
        if (wantGet) getGenerationAttempts++;
        if (wantGet && !storedKeys.isEmpty()) {
            request = new Request(client, true, storedKeys.get(rng.nextInt(storedKeys.size())), null);
        } else {
            if (wantGet) getGenerationFails++;
            String key = !writtenKeys.isEmpty() && rng.nextBoolean()
                    ? writtenKeys.get(rng.nextInt(writtenKeys.size())) : freshKey();
            String value = randomString(12) + "-" + (valueCounter++);
            if (writtenKeySet.add(key)) writtenKeys.add(key);
            checker.putIssued(key, value, now);
            request = new Request(client, false, key, value);
        }
        requests.add(request);
        send(request, client.leader, now);
    }

    /** After kill_leader or part_hard every client forgets the leader. */
    void forgetLeaders() {
        clients.forEach(c -> c.leader = NOBODY);
    }

    /** Judges one message a replica addressed to a client. */
    void onReply(String dst, JsonNode msg, long now) {
        JsonNode midNode = msg.get("MID");
        String type = msg.path("type").asText();
        if (midNode == null || !midNode.isTextual()) {
            incorrect.add(dst + " got a '" + type + "' without a MID: " + msg);
            return;
        }
        String mid = midNode.asText();
        Attempt attempt = attempts.get(mid);
        if (attempt == null || !attempt.request.client.id.equals(dst)) {
            incorrect.add(dst + " got a '" + type + "' for MID " + mid + " it never sent");
            return;
        }
        switch (attempt.state) {
            case OK -> duplicates++;
            case ABANDONED -> incorrect.add(dst + " got a '" + type + "' for MID " + mid + " after it had moved on");
            case WAITING -> answer(attempt, mid, type, msg, now);
        }
    }

    private void answer(Attempt attempt, String mid, String type, JsonNode msg, long now) {
        Request request = attempt.request;
        String leader = msg.path("leader").asText(NOBODY);
        switch (type) {
            case "ok" -> {
                latencies.add(now - attempt.sentAt);
                (request.get ? getOkLatencies : putOkLatencies).add(now - attempt.sentAt);
                attempt.state = State.OK;
                request.answered = true;
                request.client.leader = leader;
                if (request.get) {
                    checkGet(attempt, mid, msg, now);
                } else {
                    checker.putAcked(request.key, request.value, now);
                    if (storedKeySet.add(request.key)) storedKeys.add(request.key);
                }
            }
            case "redirect", "fail" -> {
                latencies.add(now - attempt.sentAt);
                bounceLatencies.add(now - attempt.sentAt);
                attempt.state = State.ABANDONED;
                if (type.equals("redirect")) redirects++; else failReplies++;
                request.client.leader = leader;
                send(request, leader, now);
            }
            default -> network.note("reply of unknown type '" + type + "' to MID " + mid + " ignored");
        }
    }

    private void checkGet(Attempt attempt, String mid, JsonNode msg, long now) {
        Request request = attempt.request;
        JsonNode value = msg.get("value");
        if (value == null || !value.isTextual()) {
            incorrect.add("ok to get(" + request.key + ") MID " + mid + " has no string value");
            return;
        }
        long issuedAt = request.firstSentAt; // retries keep the window's start
        if (!checker.getIsCorrect(request.key, issuedAt, now, value.asText())) {
            incorrect.add("get(" + request.key + ") MID " + mid + " returned \"" + value.asText()
                    + "\", expected " + checker.latestAcknowledged(request.key, issuedAt)
                    + " (or a concurrent put's value)");
        }
    }

    private void send(Request request, String target, long now) {
        Client client = request.client;
        String dst = target;
        if (dst == null || dst.equals(NOBODY)) {
            List<String> pickable = network.pickable();
            if (pickable.isEmpty()) {
                network.note(client.id + " has no live replica to send to");
                return;
            }
            dst = pickable.get(rng.nextInt(pickable.size()));
        }
        String mid = String.format("%s%06d", randomString(8), midCounter++);
        ObjectNode msg = JSON.createObjectNode()
                .put("src", client.id).put("dst", dst).put("leader", client.leader)
                .put("type", request.get ? "get" : "put").put("MID", mid).put("key", request.key);
        if (!request.get) msg.put("value", request.value);
        attempts.put(mid, new Attempt(request, now));
        if (request.firstSentAt == Long.MIN_VALUE) request.firstSentAt = now;
        request.lastSentTo = dst;
        request.lastSentAt = now;
        try {
            network.fromClient(dst, JSON.writeValueAsBytes(msg));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a client request", e);
        }
    }

    private String freshKey() {
        String key;
        do {
            key = randomString(8);
        } while (writtenKeySet.contains(key));
        return key;
    }

    private String randomString(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(ALPHABET.charAt(rng.nextInt(ALPHABET.length())));
        return sb.toString();
    }

    int gets() {
        return (int) requests.stream().filter(r -> r.get).count();
    }

    int puts() {
        return requests.size() - gets();
    }

    int unansweredGets() {
        return (int) requests.stream().filter(r -> r.get && !r.answered).count();
    }

    int unansweredPuts() {
        return (int) requests.stream().filter(r -> !r.get && !r.answered).count();
    }

    /** One line per request never answered: what it was, where its last attempt went, and when (System.nanoTime). */
    List<String> unansweredDescriptions(java.util.function.LongFunction<String> when) {
        return requests.stream().filter(r -> !r.answered && r.lastSentTo != null)
                .map(r -> (r.get ? "get" : "put") + " of " + r.client.id + " last sent to " + r.lastSentTo + " at "
                        + when.apply(r.lastSentAt))
                .toList();
    }

    boolean keyStored() {
        return checker.anyKeyStored();
    }

    List<String> incorrect() {
        return List.copyOf(incorrect);
    }

    /**
     * Quartiles, 90th percentile and maximum of all latencies and of each kind of reply, in
     * milliseconds, each with the share of replies under 5 ms (the Full-credit median of most
     * configs): the median is fast exactly when more than half of all replies are.
     */
    String latencySummary() {
        return "all " + quantiles(latencies) + "; get ok " + quantiles(getOkLatencies) + "; put ok "
                + quantiles(putOkLatencies) + "; redirect/fail " + quantiles(bounceLatencies);
    }

    private static String quantiles(List<Long> values) {
        if (values.isEmpty()) return "none";
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        StringBuilder sb = new StringBuilder("n=" + sorted.size());
        for (double q : new double[] {0.25, 0.5, 0.75, 0.9, 1.0}) {
            long v = sorted.get(Math.min(sorted.size() - 1, (int) (q * sorted.size())));
            sb.append(String.format(java.util.Locale.ROOT, " p%d=%.2f", (int) (q * 100), v / 1e6));
        }
        long fast = sorted.stream().filter(v -> v < 5_000_000L).count();
        sb.append(String.format(java.util.Locale.ROOT, " under5ms=%d%%", Math.round(100.0 * fast / sorted.size())));
        return sb.toString();
    }

    /** Median seconds from a request's send to its reply, over every reply; NaN when none. */
    double medianLatencySeconds() {
        if (latencies.isEmpty()) return Double.NaN;
        List<Long> sorted = new ArrayList<>(latencies);
        sorted.sort(null);
        int n = sorted.size();
        double nanos = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        return nanos / 1e9;
    }
}
