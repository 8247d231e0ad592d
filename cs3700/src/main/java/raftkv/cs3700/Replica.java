package raftkv.cs3700;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGeneratorFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import raftkv.kv.Bytes;
import raftkv.kv.KvCommand;
import raftkv.kv.KvResult;
import raftkv.node.EventLoop;
import raftkv.node.MemoryStorage;
import raftkv.node.NodeConfig;
import raftkv.node.RaftNode;
import raftkv.node.Reply;
import raftkv.node.Request;
import raftkv.raft.Configuration;
import raftkv.raft.Message;
import raftkv.raft.RaftCore;

/**
 * One course-simulator replica: a {@link RaftNode} whose peers and clients are reached through the
 * simulator. Clients of a follower are redirected to the leader (client traffic is free, peer
 * traffic is counted); while no leader is known, requests wait here instead of bouncing around.
 */
final class Replica {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int me;
    private final String myId;
    private final SimulatorLink link;
    private final ReplicaTuning tuning;
    private final SelectorLoop loop = new SelectorLoop("replica");
    private final RaftNode node;
    private final Courier courier;
    private boolean courierFlushScheduled;
    private final ArrayDeque<ClientRequest> held = new ArrayDeque<>();
    /** Runs every tick: one Runnable, not a new method reference each time. */
    private final Runnable retryHeldTask = this::retryHeld;
    private final Set<Integer> members;
    /** RAFTKV_DEBUG=1 logs every client request and answer to stderr. */
    private static final boolean DEBUG_ENV = System.getenv("RAFTKV_DEBUG") != null;
    /** Whether this replica logs leadership changes (and, with RAFTKV_DEBUG, requests): not the warm-up's. */
    private boolean logging = true;
    private boolean debug = DEBUG_ENV;
    private boolean started;
    /**
     * When (System.nanoTime) we last heard from the node we believe leads; "never" is an hour
     * before we started. (Not Long.MIN_VALUE: nanoTime differences overflow on it.)
     */
    private long lastLeaderContact = System.nanoTime() - TimeUnit.HOURS.toNanos(1);
    /** A ping has gone to the leader since we last heard from it: at most one per silence. */
    private boolean pinged;
    /** The leader's last message said it leads through heavy loss ({@code "lossy"}): see maybePing. */
    private boolean leaderSaysLossy;
    /** The leader's last message said it is idle ({@code "idle"}) and so heartbeats seldom: see maybePing. */
    private boolean leaderSaysIdle;
    private int badInputLogged;
    /** Puts a chain's tail may answer for us, and what waits on them (we lead). */
    private final TailReplyLedger tailLedger = new TailReplyLedger(this::answerClient, this::serveHeldRead, System::nanoTime);
    /** Whether we hand puts to chains' tails when we lead ({@link ReplicaTuning#tailReplies}). */
    private final boolean tailReplies = ReplicaTuning.tailReplies();
    /** Puts we may answer as a chain's tail (we follow). */
    private final TailReplier tailReplier = new TailReplier();
    /** Our node's answer to the leader's append, posted while a bundle is handled: the tail's proof. */
    private ObjectNode ownAppendAnswer;
    /** Tails owing us their word are being asked (see askTails): puts parked meanwhile join in. */
    private boolean askingTails;
    /**
     * A tail is asked directly only if this long has not brought its word: the next round along
     * its chain (writes come every 100 ms or so) carries the question at no message of its own.
     */
    private static final long FIRST_TAIL_QUESTION_MILLIS = 60;
    /** A tail silent this long is dead: the course's partitions last 2 to 5 s. */
    private static final long TAIL_GIVEN_UP_AFTER_NANOS = 6_000_000_000L;

    Replica(String myId, List<String> peerIds, SimulatorLink link, ReplicaTuning tuning) {
        this.me = Ids.parse(myId);
        this.myId = myId;
        this.link = link;
        this.tuning = tuning;
        Set<Integer> voters = new HashSet<>();
        voters.add(me);
        for (String p : peerIds) voters.add(Ids.parse(p));
        this.members = Set.copyOf(voters);
        NodeConfig cfg = tuning.nodeConfig(me);
        this.node = new RaftNode(cfg, Configuration.ofVoters(voters), loop, this::sendPeer, new MemoryStorage(),
                RandomGeneratorFactory.of("L64X128MixRandom").create(System.nanoTime() ^ me));
        this.courier = new Courier(myId, this::sendJson, () -> Ids.format(started ? node.leader() : RaftCore.NONE),
                System::nanoTime, tuning.suspectAfterMillis() * 1_000_000L, () -> started && node.heavyLoss())
                .hedgedBy(new RoundHedge(loop::schedule, System::nanoTime, tuning.hedgeAfterMillis(), node::hedgeRound))
                .designatingTails(tailReplies ? tailLedger::designate : (tail, append, after) -> { })
                .directWhile(() -> started && node.probingFollowers());
    }

    private raftkv.raft.Role loggedRole;
    private int loggedLeader = RaftCore.NONE;

    /** Leadership changes go to stderr (the simulator keeps replica logs): they explain a run. */
    private void logLeadership(raftkv.raft.Ready rd) {
        if (!logging) return;
        if (rd.role() == loggedRole && rd.leader() == loggedLeader) return;
        loggedRole = rd.role();
        loggedLeader = rd.leader();
        System.err.printf("%d %s: term %d, %s, leader %s%n", System.currentTimeMillis() % 100_000, myId, rd.term(),
                rd.role(), Ids.format(rd.leader()));
    }

    /** Starts Raft once every peer can be assumed up (the simulator's start-up trap). */
    void start(long startAtMillis) {
        long delay = Math.max(0, startAtMillis - System.currentTimeMillis());
        loop.schedule(delay, () -> {
            node.setListener(new RaftNode.NodeListener() {
                @Override
                public void afterReady(raftkv.raft.Ready ready) {
                    logLeadership(ready);
                    tailLedger.applied(node.appliedIndex(), node.leader() == me);
                }
            });
            node.start();
            node.setFirstElectionTimeout(tuning.firstElectionTicks(rank()));
            // Nothing is known of loss yet: assume the worst until a leader has measured it. The
            // first leader then starts wide and says so, and its followers ping it for the clients'
            // first requests instead of holding them until its next heartbeat (up to a second).
            // Under light loss its answers narrow it within a round or two, before clients start.
            node.hintMessageLoss(true);
            started = true;
            loop.schedule(tuning.tickMillis(), retryHeldTask);
        });
    }

    /** Our place among the members by id, from 0: who campaigns first in a fresh cluster. */
    private int rank() {
        return (int) members.stream().filter(m -> m < me).count();
    }

    /**
     * From now on the replica's loop reads the simulator link itself (one thread wakes per
     * message); {@code onClosed} runs if the simulator goes away.
     */
    void listen(Runnable onClosed) {
        loop.execute(() -> {
            try {
                link.attach(loop, this::onRaw, onClosed);
            } catch (IOException e) {
                System.err.println(myId + ": cannot read the simulator link: " + e);
                onClosed.run();
            }
        });
    }

    /** Called for every message the simulator delivers: on the loop, or on a test's or the warm-up's thread. */
    void onRaw(String text) {
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
            if (msg == null || !msg.isObject()) throw new IllegalArgumentException("not a JSON object");
        } catch (IOException | IllegalArgumentException e) {
            logBadInput("unparsable message dropped: " + e.getMessage());
            return;
        }
        loop.execute(() -> handle(msg));
    }

    private void handle(JsonNode msg) {
        try {
            String type = RaftJson.text(msg, "type");
            switch (type) {
                case "get", "put" -> onClient(msg, type.equals("put"));
                case "bundle" -> onBundle(msg);
                case "ping" -> onPing(msg);
                case "tailq" -> onTailQuestion(msg);
                case "tailr" -> tailLedger.heardFrom(peerSender(msg), msg.get("rs"));
                case "pong" -> onPong(msg);
                default -> deliverRaft(msg);
            }
        } catch (RuntimeException e) {
            logBadInput("message dropped (" + e.getMessage() + "): " + abbreviate(msg.toString()));
        }
    }

    /** A Raft message for us, alone or out of a bundle. */
    private void deliverRaft(JsonNode msg) {
        String type = RaftJson.text(msg, "type");
        if (!RaftJson.TYPES.contains(type)) throw new IllegalArgumentException("unknown type '" + type + "'");
        Message m = RaftJson.decode(msg);
        if (!members.contains(m.from()) || m.from() == me || m.to() != me) {
            throw new IllegalArgumentException("not from a peer to us (" + Ids.format(m.from())
                    + " -> " + Ids.format(m.to()) + ")");
        }
        if (started) {
            courier.heard(Ids.format(m.from()));
            if (msg.has("rs")) tailLedger.heardFrom(Ids.format(m.from()), msg.get("rs"));
            if (msg.has("rq")) tailReplier.asked(msg.get("rq"));
            node.receive(m);
            if (m.from() == node.leader()) {
                leaderSaysLossy = msg.path("lossy").asBoolean(false);
                node.hintMessageLoss(leaderSaysLossy);
                leaderSaysIdle = msg.path("idle").asBoolean(false);
                node.hintLeaderIdle(leaderSaysIdle);
            }
            heardFromLeader(m.from());
        }
    }

    /**
     * Several Raft messages in one simulator message (see {@link Courier}): ours are delivered, the
     * rest travel on along {@code via} with whatever our node answers. One malformed message in a
     * bundle is dropped alone.
     */
    private void onBundle(JsonNode msg) {
        String hop = RaftJson.text(msg, "src");
        if (!members.contains(Ids.parse(hop)) || hop.equals(myId)) throw new IllegalArgumentException("bundle not from a peer");
        List<String> via = route(msg.get("via"), "via");
        // A star's hub: the bundle goes on along several routes ("fork"), each message on the
        // first that leads to its receiver.
        List<List<String>> routes = new java.util.ArrayList<>();
        JsonNode fork = msg.get("fork");
        if (fork != null) {
            if (!via.isEmpty()) throw new IllegalArgumentException("bad 'fork': a star has no 'via'");
            if (!fork.isArray() || fork.isEmpty() || fork.size() > members.size()) {
                throw new IllegalArgumentException("bad 'fork'");
            }
            for (JsonNode branch : fork) {
                List<String> r = route(branch, "fork");
                if (r.isEmpty()) throw new IllegalArgumentException("bad 'fork': empty route");
                routes.add(r);
            }
        } else if (!via.isEmpty()) {
            routes.add(via);
        }
        JsonNode inner = msg.get("m");
        if (inner == null || !inner.isArray()) throw new IllegalArgumentException("bundle without 'm' array");
        if (!started) return; // nothing to peers before start-up ends; the senders will retry
        courier.heard(hop);
        List<List<ObjectNode>> onward = new java.util.ArrayList<>();
        for (int i = 0; i < routes.size(); i++) onward.add(new java.util.ArrayList<>());
        for (JsonNode m : inner) {
            try {
                String dst = m.isObject() ? RaftJson.text(m, "dst") : "";
                int branch = -1;
                for (int i = 0; i < routes.size() && branch < 0; i++) if (routes.get(i).contains(dst)) branch = i;
                if (dst.equals(myId)) {
                    deliverRaft(m);
                } else if (branch >= 0) {
                    // Only well-formed Raft messages between peers travel on: garbage costs messages.
                    Message carried = RaftJson.decode(m);
                    if (!members.contains(carried.from())) throw new IllegalArgumentException("carried message not from a peer");
                    onward.get(branch).add((ObjectNode) m);
                } else {
                    throw new IllegalArgumentException("neither for us nor for a hop on its route");
                }
            } catch (RuntimeException e) {
                logBadInput("bundled message dropped (" + e.getMessage() + "): " + abbreviate(m.toString()));
            }
        }
        for (int i = 0; i < routes.size(); i++) courier.carry(onward.get(i), routes.get(i));
        // Answer now, so that our answers travel on with what we carry.
        ownAppendAnswer = null;
        node.flushNow();
        if (routes.size() == 1 && routes.getFirst().size() == 1) replyAsTail(inner, routes.getFirst().getFirst());
        ownAppendAnswer = null;
        courier.flush();
    }

    /**
     * At the end of a relay chain (our route leads only to the leader), answers the clients of the
     * puts the leader's append hands us ({@link TailReplier}), if the answers travelling back with
     * ours prove their entries committed.
     */
    private void replyAsTail(JsonNode inner, String leader) {
        JsonNode append = null;
        for (JsonNode m : inner) {
            if (m.has("rd") && myId.equals(m.path("dst").asText()) && leader.equals(m.path("src").asText())
                    && "append".equals(m.path("type").asText())) {
                append = m;
            }
        }
        if (append == null) return;
        long term = append.path("t").asLong();
        java.util.Map<String, Long> matches = new java.util.HashMap<>();
        for (JsonNode m : inner) {
            if (m != append && leader.equals(m.path("dst").asText()) && !myId.equals(m.path("src").asText())) {
                addMatch(m, term, matches);
            }
        }
        if (ownAppendAnswer != null) addMatch(ownAppendAnswer, term, matches);
        for (TailReplier.Duty d : tailReplier.decide(term, append.get("rd"), matches, members.size() / 2 + 1)) {
            ObjectNode ok = message("ok", d.client(), Ids.parse(leader));
            ok.put("MID", d.mid());
            sendJson(ok);
        }
        if (ownAppendAnswer != null) tailReplier.report(ownAppendAnswer);
    }

    /** A successful answer of {@code term} to the leader's append: its sender's highest match index. */
    private static void addMatch(JsonNode answer, long term, java.util.Map<String, Long> matches) {
        if ("appendR".equals(answer.path("type").asText()) && answer.path("ok").asBoolean(false)
                && answer.path("t").asLong() == term) {
            matches.merge(answer.path("src").asText(), answer.path("i").asLong(), Math::max);
        }
    }

    private void onClient(JsonNode msg, boolean isPut) {
        ClientRequest req = new ClientRequest(RaftJson.text(msg, "src"), RaftJson.text(msg, "MID"), isPut,
                RaftJson.text(msg, "key"), isPut ? RaftJson.text(msg, "value") : null, loop.nowMillis(),
                System.nanoTime());
        route(req);
    }

    /**
     * Serve here if leading; redirect if another node leads and has spoken since the request came;
     * else wait. A client redirected to a leader that has died sends it every later request (it
     * relearns the leader only from replies), so a follower names the leader only once it has
     * proof that the leader is alive: its next message, or the answer to a ping.
     */
    private void route(ClientRequest req) {
        int leader = started ? node.leader() : RaftCore.NONE;
        if (debug) System.err.printf("%d %s: %s from %s, leader %s%n", System.currentTimeMillis() % 100_000, myId, req.mid(), req.client(), Ids.format(leader));
        if (leader == RaftCore.NONE) {
            held.addLast(req);
        } else if (leader != me && lastLeaderContact - req.arrivedNanos() < 0) {
            held.addLast(req);
            maybePing(leader);
        } else if (leader != me) {
            reply(req, "redirect", leader, null);
        } else {
            serve(req);
        }
    }

    /** A get that waited for a put on its key to be applied here: routed again (we may no longer lead). */
    private void serveHeldRead(ClientRequest get) {
        route(get);
    }

    private void serve(ClientRequest req) {
        Bytes key = Bytes.utf8(req.key());
        if (!req.isPut()) {
            if (!tailLedger.holdRead(req, node.appliedIndex())) node.submit(new Request.Read(key, false), answer -> onAnswer(req, answer));
            return;
        }
        long before = tailReplies ? node.status().lastIndex() : 0;
        node.submit(new Request.Write(new KvCommand.Put(key, Bytes.utf8(req.value()))), answer -> onAnswer(req, answer));
        if (!tailReplies || node.leader() != me) return;
        long index = node.status().lastIndex();
        if (index == before + 1) tailLedger.proposed(req, index, node.term());
    }

    /** A bundle's route: peers only, each once, never us (a route always leads away from where it is). */
    private List<String> route(JsonNode ids, String field) {
        if (ids == null || !ids.isArray() || ids.size() > members.size()) {
            throw new IllegalArgumentException("bad '" + field + "'");
        }
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || !members.contains(Ids.parse(id.asText())) || id.asText().equals(myId)
                    || out.contains(id.asText())) {
                throw new IllegalArgumentException("bad '" + field + "' hop " + id);
            }
            out.add(id.asText());
        }
        return out;
    }

    private void heardFromLeader(int from) {
        if (!started || from != node.leader()) return;
        lastLeaderContact = System.nanoTime();
        pinged = false;
        if (!held.isEmpty()) drainHeld();
    }

    /**
     * Clients wait here for a sign of life from the leader. Under heavy loss, which the leader
     * tells in its messages, its next message is often lost, and they would wait seconds: ask for
     * one, once per silence, and only of a leader heard from within an election timeout (one
     * silent for longer is likely dead or cut off, and its answer would not come). The ping and
     * its answer cost two counted messages; under light loss the next message comes soon enough.
     */
    private void maybePing(int leader) {
        long silentMillis = (System.nanoTime() - lastLeaderContact) / 1_000_000;
        boolean heartbeatsSparse = leaderSaysLossy || leaderSaysIdle;
        long silenceLimit = tuning.electionTicks() * tuning.tickMillis() * (leaderSaysIdle ? ReplicaTuning.IDLE_SLOWDOWN + 1 : 1);
        if (pinged || !heartbeatsSparse || silentMillis > silenceLimit) return;
        pinged = true;
        sendJson(message("ping", Ids.format(leader), leader));
    }

    /** A follower asks whether we still lead: the answer proves it, so only a leader answers. */
    private void onPing(JsonNode msg) {
        String from = peerSender(msg);
        if (started && node.leader() == me) sendJson(message("pong", from, me));
    }

    private void onPong(JsonNode msg) {
        heardFromLeader(Ids.parse(peerSender(msg)));
    }

    private String peerSender(JsonNode msg) {
        String from = RaftJson.text(msg, "src");
        if (!members.contains(Ids.parse(from)) || from.equals(myId)) throw new IllegalArgumentException("not from a peer");
        if (started) courier.heard(from);
        return from;
    }

    /** A message of ours to a client or peer, with the fields every message needs (PROTOCOL.md). */
    private ObjectNode message(String type, String to, int leader) {
        ObjectNode o = JSON.createObjectNode();
        o.put("src", myId);
        o.put("dst", to);
        o.put("leader", Ids.format(leader));
        o.put("type", type);
        return o;
    }

    private void onAnswer(ClientRequest req, Reply answer) {
        if (debug) System.err.printf("%d %s: %s %s -> %s%n", System.currentTimeMillis() % 100_000, myId, req.mid(), req.isPut() ? "put" : "get", answer);
        if (req.isPut() && !tailLedger.answerNow(req, answer)) {
            // A chain's tail answers, or may have: wait for its word, and ask for it unless it comes.
            if (!askingTails) {
                askingTails = true;
                loop.schedule(FIRST_TAIL_QUESTION_MILLIS, () -> askTails(0));
            }
            return;
        }
        answerClient(req, answer);
    }

    /**
     * Our node has answered puts whose chain's tail has not said whether it answered them (the
     * rounds since did not pass through it). Unless its word comes with our next messages to it,
     * ask it directly, 60 ms after the first such put, again 40, 80 and 160 ms later if the
     * question or its answer was lost, then every second (puts parked meanwhile are asked about at
     * the next of these, not with questions of their own). Even if we no longer lead: the puts are
     * ours to answer. A tail silent for longer than a partition lasts is dead, and is given up on.
     */
    private void askTails(int attempt) {
        java.util.Set<String> tails = tailLedger.tailsOwingWord();
        askingTails = !tails.isEmpty() && started;
        if (!askingTails) return;
        for (String tail : tails) {
            if (attempt >= 4 && !courier.heardWithin(tail, TAIL_GIVEN_UP_AFTER_NANOS)) {
                tailLedger.giveUpOn(tail);
                continue;
            }
            ObjectNode question = message("tailq", tail, node.leader());
            question.set("rq", tailLedger.questionsFor(tail, true));
            sendJson(question);
        }
        loop.schedule(attempt < 3 ? 40L << attempt : 1000, () -> askTails(attempt + 1));
    }

    /** The leader asks what became of the puts it handed us as a chain's tail. */
    private void onTailQuestion(JsonNode msg) {
        String from = peerSender(msg);
        if (!started) return;
        // The leader that handed us the puts asks, perhaps no longer leading: our word is a fact
        // either way, and a put asked about before it reached us is declined for good.
        tailReplier.asked(msg.get("rq"));
        ObjectNode answer = message("tailr", from, node.leader());
        tailReplier.report(answer);
        sendJson(answer);
    }

    private void answerClient(ClientRequest req, Reply answer) {
        switch (answer) {
            case Reply.Done d -> reply(req, "ok", me, req.isPut() ? null : valueOf(d.result()));
            case Reply.NotLeader n when n.leader() != RaftCore.NONE && n.leader() != me ->
                    reply(req, "redirect", n.leader(), null);
            // Definitely not done, no leader known yet: try again once one is.
            case Reply.NotLeader n -> held.addLast(req);
            case Reply.Unavailable u -> held.addLast(req);
            case Reply.Rejected r -> reply(req, "fail", node.leader(), null);
            case Reply.Unknown u -> reply(req, "fail", node.leader(), null);
        }
    }

    private static String valueOf(KvResult result) {
        if (result instanceof KvResult.Value v && v.value() != null) return v.value().asUtf8();
        return "";
    }

    private void retryHeld() {
        drainHeld();
        loop.schedule(tuning.tickMillis(), retryHeldTask);
    }

    private void drainHeld() {
        long now = loop.nowMillis();
        int n = held.size();
        for (int i = 0; i < n; i++) {
            ClientRequest req = held.pollFirst();
            if (now - req.arrivedMillis() > tuning.holdLimitMillis()) {
                reply(req, "fail", node.leader(), null);
            } else {
                route(req);
            }
        }
    }

    private void reply(ClientRequest req, String type, int leader, String value) {
        ObjectNode o = message(type, req.client(), leader);
        o.put("MID", req.mid());
        if (value != null) o.put("value", value);
        sendJson(o);
    }

    /**
     * Peer messages go out through the courier, once the loop turn that made them is over. A
     * leader through heavy loss says so in each ({@code "lossy": true}, a field of ours that the
     * simulator carries verbatim): its followers then ping it for clients (see maybePing).
     */
    private void sendPeer(Message m) {
        ObjectNode json = RaftJson.encode(m, node.leader());
        if (node.idle()) json.put("idle", true);
        if (node.heavyLoss()) json.put("lossy", true);
        String to = Ids.format(m.to());
        switch (m) {
            case Message.AppendRequest a -> askTail(to, json);
            case Message.Heartbeat h -> askTail(to, json);
            case Message.AppendResponse a when m.to() == node.leader() -> {
                tailReplier.report(json);
                ownAppendAnswer = json;
            }
            case Message.HeartbeatResponse h when m.to() == node.leader() -> tailReplier.report(json);
            default -> { }
        }
        courier.post(m, json);
        if (!courierFlushScheduled) {
            courierFlushScheduled = true;
            loop.execute(() -> {
                courierFlushScheduled = false;
                courier.flush();
            });
        }
    }

    /** Asks {@code peer} what became of the puts it was to answer as a chain's tail and has not told us. */
    private void askTail(String peer, ObjectNode request) {
        com.fasterxml.jackson.databind.node.ArrayNode questions = tailLedger.questionsFor(peer, false);
        if (questions != null) request.set("rq", questions);
    }

    private void sendJson(ObjectNode o) {
        try {
            link.send(o.toString());
        } catch (IOException e) {
            System.err.println(myId + ": send failed: " + e.getMessage());
        }
    }

    private void logBadInput(String what) {
        if (badInputLogged++ < 20) System.err.println(myId + ": " + what);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** No logging at all: for the JIT warm-up's private replicas. Call before {@link #start}. */
    Replica silent() {
        logging = false;
        debug = false;
        return this;
    }

    /** Stops the node and its loop: for the JIT warm-up's private replicas. */
    void stop() {
        loop.execute(() -> {
            node.stop();
            loop.close();
        });
    }

    EventLoop loop() {
        return loop;
    }
}
