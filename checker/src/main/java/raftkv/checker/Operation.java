package raftkv.checker;

import java.util.Objects;

/**
 * One client operation of a history: its command, when it was invoked and completed (any monotone
 * unit, e.g. virtual nanoseconds), and what it returned.
 *
 * <p>{@code result} is the value a {@link Command.Get} read ({@code null} = absent), a
 * {@link Boolean} for {@link Command.Cas} (did it swap), and {@code null} for everything else.
 * For UNKNOWN outcomes {@code complete} is ignored (treated as +infinity) and the result is unused.
 */
public record Operation(int client, Command command, long invoke, long complete, Outcome outcome, Object result) {

    public Operation {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == Outcome.UNKNOWN) {
            complete = Long.MAX_VALUE;
            result = null;
        } else if (complete < invoke) {
            throw new IllegalArgumentException("operation completes (" + complete + ") before it is invoked (" + invoke + ")");
        }
        if (outcome == Outcome.OK && command instanceof Command.Cas && !(result instanceof Boolean)) {
            throw new IllegalArgumentException("a completed cas needs a boolean result (did it swap)");
        }
        if (outcome == Outcome.OK && command instanceof Command.Get && result != null && !(result instanceof String)) {
            throw new IllegalArgumentException("a get result must be a string or null (absent)");
        }
    }

    public String key() {
        return command.key();
    }

    public static Operation get(int client, String key, String read, long invoke, long complete) {
        return new Operation(client, new Command.Get(key), invoke, complete, Outcome.OK, read);
    }

    public static Operation put(int client, String key, String value, long invoke, long complete) {
        return new Operation(client, new Command.Put(key, value), invoke, complete, Outcome.OK, null);
    }

    public static Operation delete(int client, String key, long invoke, long complete) {
        return new Operation(client, new Command.Delete(key), invoke, complete, Outcome.OK, null);
    }

    public static Operation cas(int client, String key, String expected, String value, boolean swapped, long invoke, long complete) {
        return new Operation(client, new Command.Cas(key, expected, value), invoke, complete, Outcome.OK, swapped);
    }

    public static Operation append(int client, String key, String value, long invoke, long complete) {
        return new Operation(client, new Command.Append(key, value), invoke, complete, Outcome.OK, null);
    }

    /** An operation whose outcome the client never learned. */
    public static Operation unknown(int client, Command command, long invoke) {
        return new Operation(client, command, invoke, Long.MAX_VALUE, Outcome.UNKNOWN, null);
    }

    /** An operation the system reported as definitely not having happened. */
    public static Operation failed(int client, Command command, long invoke, long complete) {
        return new Operation(client, command, invoke, complete, Outcome.FAIL, null);
    }

    public Operation asUnknown() {
        return unknown(client, command, invoke);
    }

    /** Human-readable, e.g. {@code client 3 put(k1, "v") [12..40] -> ok}. */
    public String describe() {
        String call = switch (command) {
            case Command.Get g -> "get(" + g.key() + ")";
            case Command.Put p -> "put(" + p.key() + ", " + quote(p.value()) + ")";
            case Command.Delete d -> "delete(" + d.key() + ")";
            case Command.Cas c -> "cas(" + c.key() + ", " + quote(c.expected()) + " -> " + quote(c.value()) + ")";
            case Command.Append a -> "append(" + a.key() + ", " + quote(a.value()) + ")";
        };
        String ret = switch (outcome) {
            case UNKNOWN -> "unknown outcome";
            case FAIL -> "failed";
            case OK -> switch (command) {
                case Command.Get g -> "read " + quote((String) result);
                case Command.Cas c -> Boolean.TRUE.equals(result) ? "swapped" : "did not swap";
                default -> "ok";
            };
        };
        String end = outcome == Outcome.UNKNOWN ? "inf" : Long.toString(complete);
        return "client " + client + " " + call + " [" + invoke + ".." + end + "] -> " + ret;
    }

    static String quote(String s) {
        return s == null ? "absent" : '"' + s + '"';
    }
}
