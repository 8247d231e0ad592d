package raftkv.kv;

/**
 * Checks a command against {@link KvLimits} and its field rules before it is proposed, and again
 * in the state machine (so a typed command that bypassed the codec is held to the same rules).
 */
public final class KvValidator {
    private KvValidator() {
    }

    /** Throws {@link MalformedCommandException} naming the first problem found. */
    public static void validate(KvCommand command) {
        String problem = problem(command);
        if (problem != null) {
            throw new MalformedCommandException(problem);
        }
    }

    /** The first problem with {@code command}, or null if it is valid. */
    public static String problem(KvCommand command) {
        String p = switch (command) {
            case KvCommand.KvOp op -> opProblem(op);
            case KvCommand.RegisterClient r -> nonNegative("leaderTimeMillis", r.leaderTimeMillis());
            case KvCommand.UnregisterClient u -> first(
                    positive("clientId", u.clientId()),
                    nonNegative("leaderTimeMillis", u.leaderTimeMillis()));
            case KvCommand.SessionRequest s -> first(
                    positive("clientId", s.clientId()),
                    nonNegative("sequence", s.sequence()),
                    nonNegative("ackedBelow", s.ackedBelow()),
                    s.ackedBelow() > s.sequence()
                            ? "ackedBelow " + s.ackedBelow() + " is above sequence " + s.sequence()
                            : null,
                    nonNegative("leaderTimeMillis", s.leaderTimeMillis()),
                    opProblem(s.op()));
        };
        if (p != null) {
            return p;
        }
        int size = KvCodec.encodedSize(command);
        return size > KvLimits.MAX_COMMAND_BYTES
                ? "command is " + size + " bytes encoded, over the limit of " + KvLimits.MAX_COMMAND_BYTES
                : null;
    }

    private static String opProblem(KvCommand.KvOp op) {
        return switch (op) {
            case KvCommand.Batch b -> {
                if (b.ops().size() > KvLimits.MAX_BATCH_OPS) {
                    yield "batch has " + b.ops().size() + " operations, over the limit of "
                            + KvLimits.MAX_BATCH_OPS;
                }
                for (int i = 0; i < b.ops().size(); i++) {
                    String p = opProblem(b.ops().get(i));
                    if (p != null) {
                        yield "batch operation " + i + ": " + p;
                    }
                }
                yield null;
            }
            case KvCommand.Put p -> first(key(p.key()), value("value", p.value()));
            case KvCommand.Get g -> key(g.key());
            case KvCommand.Delete d -> key(d.key());
            case KvCommand.CompareAndSet c -> first(key(c.key()),
                    c.expected() == null ? null : value("expected value", c.expected()),
                    c.newValue() == null ? null : value("new value", c.newValue()));
        };
    }

    private static String key(Bytes key) {
        return key.length() > KvLimits.MAX_KEY_BYTES
                ? "key is " + key.length() + " bytes, over the limit of " + KvLimits.MAX_KEY_BYTES
                : null;
    }

    private static String value(String what, Bytes value) {
        return value.length() > KvLimits.MAX_VALUE_BYTES
                ? what + " is " + value.length() + " bytes, over the limit of " + KvLimits.MAX_VALUE_BYTES
                : null;
    }

    private static String nonNegative(String what, long v) {
        return v < 0 ? what + " must not be negative, was " + v : null;
    }

    private static String positive(String what, long v) {
        return v <= 0 ? what + " must be positive, was " + v : null;
    }

    private static String first(String... problems) {
        for (String p : problems) {
            if (p != null) {
                return p;
            }
        }
        return null;
    }
}
