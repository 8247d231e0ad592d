package raftkv.cs3700;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import raftkv.node.ThreadEventLoop;
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
    private final ThreadEventLoop loop = new ThreadEventLoop("replica");
    private final RaftNode node;
    private final ArrayDeque<ClientRequest> held = new ArrayDeque<>();
    private boolean started;
    private int badInputLogged;

    Replica(String myId, List<String> peerIds, SimulatorLink link, ReplicaTuning tuning) {
        this.me = Ids.parse(myId);
        this.myId = myId;
        this.link = link;
        this.tuning = tuning;
        Set<Integer> voters = new HashSet<>();
        voters.add(me);
        for (String p : peerIds) voters.add(Ids.parse(p));
        NodeConfig cfg = tuning.nodeConfig(me);
        this.node = new RaftNode(cfg, Configuration.ofVoters(voters), loop, this::sendPeer, new MemoryStorage(),
                RandomGeneratorFactory.of("L64X128MixRandom").create(System.nanoTime() ^ me));
    }

    /** Starts Raft once every peer can be assumed up (the simulator's start-up trap). */
    void start(long startAtMillis) {
        long delay = Math.max(0, startAtMillis - System.currentTimeMillis());
        loop.schedule(delay, () -> {
            node.start();
            started = true;
            loop.schedule(tuning.tickMillis(), this::retryHeld);
        });
    }

    /** Called on the receiving thread for every message the simulator delivers. */
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
                default -> {
                    if (!RaftJson.TYPES.contains(type)) throw new IllegalArgumentException("unknown type '" + type + "'");
                    Message m = RaftJson.decode(msg);
                    if (started) node.receive(m);
                }
            }
        } catch (RuntimeException e) {
            logBadInput("message dropped (" + e.getMessage() + "): " + abbreviate(msg.toString()));
        }
    }

    private void onClient(JsonNode msg, boolean isPut) {
        ClientRequest req = new ClientRequest(RaftJson.text(msg, "src"), RaftJson.text(msg, "MID"), isPut,
                RaftJson.text(msg, "key"), isPut ? RaftJson.text(msg, "value") : null, loop.nowMillis());
        route(req);
    }

    /** Serve here if leading, redirect if another node leads, else wait for an election. */
    private void route(ClientRequest req) {
        int leader = started ? node.leader() : RaftCore.NONE;
        if (leader == RaftCore.NONE) {
            held.addLast(req);
        } else if (leader != me) {
            reply(req, "redirect", leader, null);
        } else {
            serve(req);
        }
    }

    private void serve(ClientRequest req) {
        Bytes key = Bytes.utf8(req.key());
        Request r = req.isPut()
                ? new Request.Write(new KvCommand.Put(key, Bytes.utf8(req.value())))
                : new Request.Read(key, false);
        node.submit(r, answer -> onAnswer(req, answer));
    }

    private void onAnswer(ClientRequest req, Reply answer) {
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
        loop.schedule(tuning.tickMillis(), this::retryHeld);
    }

    private void reply(ClientRequest req, String type, int leader, String value) {
        ObjectNode o = JSON.createObjectNode();
        o.put("src", myId);
        o.put("dst", req.client());
        o.put("leader", Ids.format(leader));
        o.put("type", type);
        o.put("MID", req.mid());
        if (value != null) o.put("value", value);
        sendJson(o);
    }

    private void sendPeer(Message m) {
        sendJson(RaftJson.encode(m, node.leader()));
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

    EventLoop loop() {
        return loop;
    }
}
