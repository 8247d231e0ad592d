package raftkv.cs3700.harness;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * With {@code --keep}: every message the harness routes, one line each, into {@code messages.log}
 * in the run's working directory, so that a run can be explained afterwards (which round a put
 * waited on, which copy was dropped). A line: milliseconds since the first request, what happened
 * ({@code delivered}, {@code dropped}, {@code cut} by a partition, {@code client} for requests
 * and replies), sender, receiver, and the message as sent. The run's own log lines (kills,
 * partitions, unanswered requests) come in between as {@code note - -} and the text, so that the
 * file alone tells a run's story ({@code cs3700/analysis/run_anatomy.py} reads it).
 */
final class MessageTrace implements Closeable {
    /** Null when nothing is written: a run not kept, or a trace closed already (late notes are dropped). */
    private BufferedWriter out;
    private final long originNanos;

    private MessageTrace(BufferedWriter out, long originNanos) {
        this.out = out;
        this.originNanos = originNanos;
    }

    static MessageTrace into(Path workDir, long originNanos) throws IOException {
        return new MessageTrace(Files.newBufferedWriter(workDir.resolve("messages.log"), StandardCharsets.UTF_8), originNanos);
    }

    /** A trace that writes nothing: runs whose directory is not kept. */
    static MessageTrace none() {
        return new MessageTrace(null, 0);
    }

    void record(String fate, String from, String to, byte[] payload) {
        if (out == null) return;
        try {
            out.write(String.format(Locale.ROOT, "%.3f %s %s %s ", (System.nanoTime() - originNanos) / 1e6, fate, from, to));
            out.write(new String(payload, StandardCharsets.UTF_8).strip());
            out.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void note(String text) {
        record("note", "-", "-", text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        if (out != null) out.close();
        out = null;
    }
}
