package raftkv.cs3700;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A simulator link for tests: keeps what the replica sends; the test hands it messages itself. */
final class RecordingLink implements SimulatorLink {
    final LinkedBlockingQueue<String> sent = new LinkedBlockingQueue<>();

    @Override
    public void send(String json) {
        sent.add(json);
    }

    @Override
    public void attach(SelectorLoop loop, Consumer<String> onMessage, Runnable onClosed) {
        throw new UnsupportedOperationException("tests deliver with Replica.onRaw");
    }

    /** Waits until {@code r}'s loop has handled everything delivered to it so far. */
    static void awaitLoop(Replica r) throws Exception {
        java.util.concurrent.CompletableFuture<Void> handled = new java.util.concurrent.CompletableFuture<>();
        r.loop().execute(() -> handled.complete(null));
        handled.get(5, TimeUnit.SECONDS);
    }

    /** Takes sent messages until one contains {@code text}, and returns it; fails after 5 s without one. */
    String next(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            String m = sent.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && m.contains(text)) return m;
        }
        throw new AssertionError("nothing containing " + text + " was sent");
    }
}
