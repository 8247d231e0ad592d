package raftkv.sim;

import java.util.List;
import java.util.random.RandomGenerator;

import raftkv.checker.Command;
import raftkv.checker.Operation;
import raftkv.checker.Outcome;
import raftkv.kv.Bytes;
import raftkv.kv.KvCommand;
import raftkv.kv.KvResult;
import raftkv.node.EventLoop;
import raftkv.node.Reply;
import raftkv.node.Request;
import raftkv.node.VirtualScheduler;

/**
 * One client: registers a session, then issues one operation at a time until the workload is
 * spent. Writes go in its session with a sequence number; a timeout, Unknown or NotLeader retries
 * the same sequence at another node (the node it is pointed to, else a random one), so a retried
 * write is applied at most once. Outcome: ok with its result; failed when every attempt
 * definitely failed; unknown when some attempt may have taken effect.
 */
final class SimClient {
    /** What the client is doing now. */
    private enum Kind { REGISTER, READ, LOG_READ, PUT, DELETE, CAS }

    private final int id;
    private final RandomGenerator rng;
    private final VirtualScheduler time;
    private final ClientPort port;
    private final Workload workload;
    private final HistoryRecorder history;
    private final Trace trace;
    private final long attemptTimeout;
    private final int maxAttempts;

    private long session = -1;
    /** No session could be opened (a node answered registration with something else): plain writes. */
    private boolean bare;
    private long nextSequence = 1;
    private int leaderGuess = -1;
    private long valueCounter;

    // the operation in progress
    private Kind kind;
    private Command command;
    private Request request;
    private int keyIndex;
    private long invokedAt;
    private int attempts;
    private int attemptId;
    private boolean mayHaveApplied;
    private EventLoop.Cancellable timer;
    private boolean idle = true;
    private boolean finished;

    SimClient(int id, RandomGenerator rng, VirtualScheduler time, ClientPort port, Workload workload,
              HistoryRecorder history, Trace trace, long attemptTimeout, int maxAttempts) {
        this.id = id;
        this.rng = rng;
        this.time = time;
        this.port = port;
        this.workload = workload;
        this.history = history;
        this.trace = trace;
        this.attemptTimeout = attemptTimeout;
        this.maxAttempts = maxAttempts;
    }

    void start() {
        time.after(rng.nextInt(1, 50), this::next);
    }

    /** True once the workload is spent and this client has nothing in flight. */
    boolean finished() {
        return finished;
    }

    /**
     * The run is over: an operation still in flight is recorded as unknown (a write may yet take
     * effect) so that the history holds everything that could have changed the state.
     */
    void abandon() {
        if (!idle && command != null) {
            if (kind != Kind.READ) mayHaveApplied = true;
            record(Outcome.UNKNOWN, null);
        }
        idle = true;
        finished = true;
        attemptId++;
    }

    private void next() {
        if (finished) return;
        idle = true;
        if (session < 0 && !bare) {
            begin(Kind.REGISTER, null, new Request.Write(new KvCommand.RegisterClient(0)));
            return;
        }
        if (!workload.take()) {
            finished = true;
            return;
        }
        keyIndex = rng.nextInt(workload.keyCount());
        String key = workload.key(keyIndex);
        Bytes k = Bytes.utf8(key);
        int dice = rng.nextInt(100);
        if (dice < 35) {
            begin(Kind.READ, new Command.Get(key), new Request.Read(k, false));
        } else if (dice < 40) {
            begin(Kind.LOG_READ, new Command.Get(key), write(new KvCommand.Get(k)));
        } else if (dice < 70) {
            String v = freshValue();
            begin(Kind.PUT, new Command.Put(key, v), write(new KvCommand.Put(k, Bytes.utf8(v))));
        } else if (dice < 80) {
            begin(Kind.DELETE, new Command.Delete(key), write(new KvCommand.Delete(k)));
        } else {
            List<String> recent = workload.recent(keyIndex);
            String expected = recent.isEmpty() || rng.nextInt(5) == 0 ? null : recent.get(rng.nextInt(recent.size()));
            String v = freshValue();
            begin(Kind.CAS, new Command.Cas(key, expected, v), write(new KvCommand.CompareAndSet(k,
                    expected == null ? null : Bytes.utf8(expected), Bytes.utf8(v))));
        }
    }

    private String freshValue() {
        return "c" + id + "." + (++valueCounter);
    }

    /** A write in the session: every request before this one has been answered or abandoned. */
    private Request write(KvCommand.KvOp op) {
        if (bare) return new Request.Write(op);
        long seq = nextSequence++;
        return new Request.Write(new KvCommand.SessionRequest(session, seq, seq, 0, op));
    }

    private void begin(Kind k, Command c, Request r) {
        idle = false;
        kind = k;
        command = c;
        request = r;
        attempts = 0;
        mayHaveApplied = false;
        invokedAt = history.stamp();
        if (c != null) trace.event(time.nowMillis(), "invoke client " + id + " " + c);
        attempt();
    }

    private void attempt() {
        attempts++;
        int node = leaderGuess >= 1 ? leaderGuess : rng.nextInt(1, port.nodeCount() + 1);
        int myAttempt = ++attemptId;
        timer = time.after(attemptTimeout, () -> onTimeout(myAttempt));
        port.send(id, node, request, reply -> onReply(myAttempt, node, reply));
    }

    private void onTimeout(int attempt) {
        if (attempt != attemptId || idle) return;
        if (kind != Kind.READ) mayHaveApplied = true;
        leaderGuess = -1;
        retryOrGiveUp();
    }

    private void onReply(int attempt, int node, Reply reply) {
        if (attempt != attemptId || idle) return; // an answer to an attempt already abandoned
        timer.cancel();
        switch (reply) {
            case Reply.Done d -> onResult(node, d.result());
            case Reply.NotLeader n -> {
                leaderGuess = n.leader() >= 1 && n.leader() != node ? n.leader() : -1;
                retryOrGiveUp();
            }
            case Reply.Unavailable u -> {
                leaderGuess = -1;
                retryOrGiveUp();
            }
            case Reply.Rejected r -> finish(mayHaveApplied ? Outcome.UNKNOWN : Outcome.FAIL, null);
            case Reply.Unknown u -> {
                mayHaveApplied = true;
                leaderGuess = -1;
                retryOrGiveUp();
            }
        }
    }

    private void retryOrGiveUp() {
        // without a session a retry could apply a write twice: stop once it may have taken effect
        if (attempts >= maxAttempts || bare && mayHaveApplied) {
            finish(mayHaveApplied ? Outcome.UNKNOWN : Outcome.FAIL, null);
        } else {
            int myAttempt = attemptId;
            // back off a little, so a retry does not land in the middle of the same election
            time.after(rng.nextInt(5, 60), () -> { if (myAttempt == attemptId && !idle) attempt(); });
        }
    }

    private void onResult(int node, KvResult result) {
        leaderGuess = node;
        switch (result) {
            case KvResult.Registered r when kind == Kind.REGISTER -> {
                session = r.clientId();
                finish(Outcome.OK, null);
            }
            case KvResult r when kind == Kind.REGISTER -> {
                bare = true;
                trace.event(time.nowMillis(), "client " + id + " registration answered " + r + ": no session");
                finish(Outcome.OK, null);
            }
            case KvResult.Value v when kind == Kind.READ || kind == Kind.LOG_READ -> {
                String read = v.value() == null ? null : v.value().asUtf8();
                workload.saw(keyIndex, read);
                finish(Outcome.OK, read);
            }
            case KvResult.Ok ok when kind == Kind.PUT -> {
                workload.saw(keyIndex, ((Command.Put) command).value());
                finish(Outcome.OK, null);
            }
            case KvResult.Value v when kind == Kind.DELETE -> finish(Outcome.OK, null);
            case KvResult.Ok ok when kind == Kind.DELETE -> finish(Outcome.OK, null);
            case KvResult.CasResult c when kind == Kind.CAS -> {
                if (c.current() != null) workload.saw(keyIndex, c.current().asUtf8());
                finish(Outcome.OK, c.swapped());
            }
            case KvResult.SessionExpired e -> {
                session = -1; // register again before the next operation
                finish(mayHaveApplied ? Outcome.UNKNOWN : Outcome.FAIL, null);
            }
            case KvResult.Rejected r -> finish(mayHaveApplied ? Outcome.UNKNOWN : Outcome.FAIL, null);
            // StaleRequest, or an answer that does not fit the request: we cannot tell what happened
            default -> finish(Outcome.UNKNOWN, null);
        }
    }

    private void finish(Outcome outcome, Object result) {
        idle = true;
        attemptId++;
        record(outcome, result);
        time.after(rng.nextInt(0, 20), this::next);
    }

    private void record(Outcome outcome, Object result) {
        if (command != null) {
            // a read that never got an answer had no effect: it is a failed operation, not an unknown one
            Outcome o = outcome == Outcome.UNKNOWN && command instanceof Command.Get ? Outcome.FAIL : outcome;
            long done = o == Outcome.UNKNOWN ? Long.MAX_VALUE : history.stamp();
            history.record(new Operation(id, command, invokedAt, done, o, o == Outcome.OK ? result : null));
            trace.event(time.nowMillis(), "complete client " + id + " " + o + " " + result);
        }
    }
}
