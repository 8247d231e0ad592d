package raftkv.node;

import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import raftkv.kv.KvCodec;
import raftkv.kv.KvCommand;
import raftkv.kv.KvResult;
import raftkv.kv.KvStateMachine;
import raftkv.kv.KvValidator;
import raftkv.raft.Configuration;
import raftkv.raft.Entry;
import raftkv.raft.Message;
import raftkv.raft.ProposeResult;
import raftkv.raft.RaftCore;
import raftkv.raft.ReadState;
import raftkv.raft.Ready;
import raftkv.raft.RestoredState;
import raftkv.raft.Role;
import raftkv.raft.Snapshot;
import raftkv.raft.SnapshotMeta;
import raftkv.raft.Status;

/**
 * One replica: a Raft core, the key-value state machine it drives, and the client requests in
 * between. Every method must be called on the node's {@link EventLoop}.
 *
 * <p>Inputs only step the core and mark the node dirty; one flush per loop turn then handles
 * the core's {@link Ready}: send, persist (the leader's appends leave before its own disk write
 * completes), send what needed persisting, apply, answer. While storage works, further inputs
 * accumulate and go out together in the next Ready: group commit.
 */
public final class RaftNode {
    private final NodeConfig config;
    private final Configuration initialMembers;
    private final EventLoop loop;
    private final PeerTransport transport;
    private final Storage storage;
    private final RandomGenerator random;
    private final PendingRequests pending = new PendingRequests();

    private RaftCore core;
    private KvStateMachine stateMachine;
    private long lastSnapshotIndex;
    /** Bytes of entries applied since the last snapshot. */
    private long bytesSinceSnapshot;
    private boolean flushScheduled;
    private boolean persisting;
    private boolean stopped;
    private EventLoop.Cancellable ticker;
    /**
     * One Runnable each for every tick and every flush, not a new method reference each time (at
     * least 100 a second): under a C1-only JIT (the course replica's) each was allocated through
     * a method handle.
     */
    private final Runnable tickTask = this::onTick;
    private final Runnable flushTask = this::flush;
    private long startNanos;
    /** Tick periods dealt with: given to the core, or dropped from a backlog (see onTick). */
    private long ticksPast;
    /**
     * A late timer hands the core at most this many of the ticks it owes at a time: the rest come
     * with the next firings, a tick period apart, and what peers sent meanwhile is read in between.
     * Given at once, they timed out a silence nobody had listened to: a course replica starved of
     * CPU at start-up owed 40 ticks and more, and its campaign's vote requests went out three
     * times in one go, before any answer could be read; private warm-up clusters (a 200 ms
     * election timeout) elected leader after leader. Promises and leases are not delayed: they
     * run on the clock ({@link #syncClock()}), which is never behind.
     */
    static final int MAX_TICKS_PER_FIRING = 3;

    private NodeListener listener = NodeListener.NONE;
    private java.util.Set<raftkv.raft.DeliberateBug> bugs = java.util.Set.of();

    public RaftNode(NodeConfig config, Configuration members, EventLoop loop, PeerTransport transport,
                    Storage storage, RandomGenerator random) {
        this.config = config;
        this.initialMembers = members;
        this.loop = loop;
        this.transport = transport;
        this.storage = storage;
        this.random = random;
    }

    /** Recovers from storage and starts ticking. */
    public void start() {
        RestoredState restored = storage.load();
        Snapshot snap = restored.snapshot();
        stateMachine = snap == null ? new KvStateMachine(config.kv()) : KvStateMachine.restore(snap.data());
        lastSnapshotIndex = snap == null ? 0 : snap.meta().index();
        core = new RaftCore(config.raft(), initialMembers, random, restored);
        core.injectBugs(bugs);
        startNanos = loop.monotonicNanos();
        ticker = loop.schedule(config.tickMillis(), tickTask);
        markDirty();
    }

    /** Stops ticking and processing; pending requests get no further answers (the process is going away). */
    public void stop() {
        stopped = true;
        if (ticker != null) ticker.cancel();
    }

    /** Switches on deliberate safety bugs (tests of the simulator only); call before {@link #start()}. */
    public void injectBugs(java.util.Set<raftkv.raft.DeliberateBug> enabled) {
        this.bugs = java.util.Set.copyOf(enabled);
    }

    public void setListener(NodeListener listener) {
        this.listener = listener;
    }

    private void onTick() {
        if (stopped) return;
        long clock = clockTicks();
        core.clockAt(clock);
        long owed = clock - ticksPast;
        // A backlog beyond an election timeout's worth is dropped, not made up: a loop starved for
        // long, or firing slower than MAX_TICKS_PER_FIRING ticks apart for a while, would otherwise
        // run its timers fast for as long again (a leader's check-quorum period shrunk to a third).
        // Timers measure silence this node listened to; promises and leases run on the clock.
        long dropped = Math.max(0, owed - MAX_TICKS_PER_FIRING - config.raft().electionTicks());
        long give = Math.min(owed - dropped, MAX_TICKS_PER_FIRING);
        for (long i = 0; i < give; i++) core.tick();
        ticksPast += dropped + Math.max(0, give);
        pending.expire(loop.nowMillis());
        markDirty();
        ticker = loop.schedule(config.tickMillis(), tickTask);
    }

    /**
     * The ticks owed to the core (for tests): its clock is the number of whole tick periods since
     * start, so a late timer (a busy machine, a GC pause) is caught up, a few ticks at a time
     * ({@link #MAX_TICKS_PER_FIRING}), and an early one waits.
     */
    long ticksOwed() {
        return clockTicks() - ticksPast;
    }

    /**
     * Whole tick periods since start, from nanoseconds: a lease's margin against the followers'
     * promises is whole ticks, and milliseconds rounded on both sides ate up to 4 ms of it.
     */
    private long clockTicks() {
        return (loop.monotonicNanos() - startNanos) / (config.tickMillis() * 1_000_000L);
    }

    /**
     * Tells the core the time before each input: messages, reads and the tick itself may come
     * before a late timer has delivered the ticks due, and promises and leases must not be judged
     * on a clock that stood still ({@link raftkv.raft.RaftCore#clockAt}).
     */
    private void syncClock() {
        core.clockAt(clockTicks());
    }

    /** A message from a peer. */
    public void receive(Message message) {
        if (stopped) return;
        syncClock();
        core.step(message);
        markDirty();
    }

    /** A client request; {@code reply} is called exactly once, on the loop. */
    public void submit(Request request, Consumer<Reply> reply) {
        if (stopped) {
            reply.accept(new Reply.Unavailable("node is stopping"));
            return;
        }
        syncClock();
        switch (request) {
            case Request.Write w -> write(w.command(), reply);
            case Request.Read r when r.stale() || bugs.contains(raftkv.raft.DeliberateBug.READ_WITHOUT_READ_INDEX) ->
                    reply.accept(new Reply.Done(stateMachine.read(new KvCommand.Get(r.key()))));
            case Request.Read r -> read(r, reply);
        }
        markDirty();
    }

    private void write(KvCommand command, Consumer<Reply> reply) {
        String problem = KvValidator.problem(command);
        if (problem != null) {
            reply.accept(new Reply.Rejected(problem));
            return;
        }
        byte[] encoded = KvCodec.encode(stampLeaderTime(command));
        switch (core.propose(encoded)) {
            case ProposeResult.Accepted a when bugs.contains(raftkv.raft.DeliberateBug.ACK_BEFORE_COMMIT) ->
                    reply.accept(new Reply.Done(KvResult.OK));
            case ProposeResult.Accepted a ->
                    pending.addWrite(a.index(), a.term(), loop.nowMillis() + config.requestTimeoutMillis(), reply);
            case ProposeResult.NotLeader n -> reply.accept(new Reply.NotLeader(n.leader()));
            case ProposeResult.TransferInProgress t ->
                    reply.accept(new Reply.Unavailable("leadership is moving to node " + t.transferee()));
        }
    }

    /** Session expiry runs on the leader's clock, carried in the entry so every replica agrees. */
    private KvCommand stampLeaderTime(KvCommand command) {
        long now = loop.nowMillis();
        return switch (command) {
            case KvCommand.SessionRequest s -> new KvCommand.SessionRequest(s.clientId(), s.sequence(), s.ackedBelow(), now, s.op());
            case KvCommand.RegisterClient r -> new KvCommand.RegisterClient(now);
            case KvCommand.UnregisterClient u -> new KvCommand.UnregisterClient(u.clientId(), now);
            default -> command;
        };
    }

    private void read(Request.Read r, Consumer<Reply> reply) {
        long ctx = pending.addRead(r.key(), loop.nowMillis() + config.requestTimeoutMillis(), reply);
        if (core.readIndex(ctx) instanceof ProposeResult.NotLeader n) {
            pending.failRead(ctx, new Reply.NotLeader(n.leader()));
        }
    }

    /** See {@link raftkv.raft.RaftCore#setFirstElectionTimeout(int)}. Call on the loop, after {@link #start()}. */
    public void setFirstElectionTimeout(int ticks) {
        core.setFirstElectionTimeout(ticks);
    }

    /** See {@link raftkv.raft.RaftCore#hedgeRound()}. Call on the loop. */
    public void hedgeRound() {
        if (stopped) return;
        syncClock();
        core.hedgeRound();
        markDirty();
    }

    /** Asks the leader (this node) to hand over to {@code target}. */
    public void transferLeadership(int target) {
        syncClock();
        core.transferLeadership(target);
        markDirty();
    }

    private void markDirty() {
        if (!flushScheduled && !stopped) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    /**
     * Handles the core's Ready now rather than on a later loop turn, so that what the inputs so far
     * make the node send has been sent when this returns (storage permitting: a write that is still
     * in progress holds the rest back as usual). For transports that batch the messages caused by
     * one incoming message, such as the course replica's relay chains.
     */
    public void flushNow() {
        flush();
    }

    private void flush() {
        flushScheduled = false;
        if (stopped || persisting || !core.hasReady()) return;
        Ready rd = core.ready();
        rd.messages().forEach(transport::send);
        if (rd.mustPersist()) {
            persisting = true;
            storage.persist(rd.hardState(), rd.snapshot(), rd.entries(), () -> afterPersist(rd));
        } else {
            afterPersist(rd);
        }
    }

    private void afterPersist(Ready rd) {
        persisting = false;
        if (stopped) return;
        rd.messagesAfterPersist().forEach(transport::send);
        if (rd.snapshot() != null) installSnapshot(rd.snapshot());
        for (Entry e : rd.committed()) apply(e);
        for (ReadState rs : rd.readStates()) pending.confirmRead(rs.context(), rs.index());
        for (long ctx : core.takeDroppedReads()) pending.failRead(ctx, new Reply.NotLeader(core.leader()));
        serveReads();
        core.advance(rd);
        listener.afterReady(rd);
        maybeSnapshot();
        markDirty();
    }

    private void installSnapshot(Snapshot snap) {
        stateMachine = KvStateMachine.restore(snap.data());
        lastSnapshotIndex = snap.meta().index();
        bytesSinceSnapshot = 0;
        pending.skipWritesThrough(snap.meta().index());
    }

    private void apply(Entry e) {
        KvResult result = stateMachine.applyEntry(e.index(), e.data());
        bytesSinceSnapshot += e.data().length;
        listener.applied(e, result);
        PendingRequests.Write w = pending.takeWrite(e.index(), e.term());
        if (w != null) w.reply().accept(new Reply.Done(result));
    }

    private void serveReads() {
        for (PendingRequests.Read r : pending.readsReadyAt(stateMachine.appliedIndex())) {
            r.reply().accept(new Reply.Done(stateMachine.read(new KvCommand.Get(r.key()))));
        }
    }

    private void maybeSnapshot() {
        long applied = stateMachine.appliedIndex();
        boolean byCount = config.snapshotEvery() > 0 && applied - lastSnapshotIndex >= config.snapshotEvery();
        boolean byBytes = config.snapshotEveryBytes() > 0 && bytesSinceSnapshot >= config.snapshotEveryBytes();
        if (!byCount && !byBytes) return;
        long term = core.termAt(applied);
        // A snapshot from the leader may already have replaced the core's log past what we applied
        // (its Ready comes next): our own snapshot would be stale, and its term is unknown here.
        if (term < 1) return;
        byte[] data = stateMachine.snapshot();
        Snapshot snap = new Snapshot(new SnapshotMeta(applied, term, core.configuration()), data);
        storage.saveSnapshot(snap);
        core.compact(applied, data);
        lastSnapshotIndex = applied;
        bytesSinceSnapshot = 0;
    }

    // ------------------------------------------------------------------ inspection

    public int id() { return config.raft().id(); }

    public Role role() { return core.role(); }

    /** See {@link raftkv.raft.RaftCore#heavyLoss()}. */
    public boolean heavyLoss() { return core.heavyLoss(); }

    /** See {@link raftkv.raft.RaftCore#probingFollowers()}. */
    public boolean probingFollowers() { return core.probingFollowers(); }

    /** See {@link raftkv.raft.RaftCore#hintMessageLoss(boolean)}. Call on the loop. */
    public void hintMessageLoss(boolean heavy) { core.hintMessageLoss(heavy); }

    /** See {@link RaftCore#idle()}. */
    public boolean idle() { return core.idle(); }

    /** See {@link RaftCore#hintLeaderIdle}. */
    public void hintLeaderIdle(boolean idle) { core.hintLeaderIdle(idle); }

    public int leader() { return core.leader(); }

    public long term() { return core.term(); }

    public Status status() { return core.status(); }

    public long appliedIndex() { return stateMachine.appliedIndex(); }

    public KvStateMachine stateMachine() { return stateMachine; }

    public int pendingRequests() { return pending.size(); }

    /** Entries this node applied, for invariant checks; a listener sees each apply and each Ready. */
    public interface NodeListener {
        NodeListener NONE = new NodeListener() {};

        default void applied(Entry entry, KvResult result) {}

        default void afterReady(Ready ready) {}
    }
}
