package raftkv.kv;

/**
 * Thrown when bytes are not a valid encoded command or result, or when a command breaks a
 * {@link KvLimits} limit. The message says what was wrong and, for bytes, at which offset.
 * It is the only exception the decoders throw for bad input.
 */
public final class MalformedCommandException extends IllegalArgumentException {
    public MalformedCommandException(String message) {
        super(message);
    }
}
