package raftkv.checker;

/** A history file could not be read; the message names the file position and the problem. */
public final class HistoryParseException extends RuntimeException {
    public HistoryParseException(String message) {
        super(message);
    }

    static HistoryParseException at(String source, int line, String problem) {
        return new HistoryParseException(source + ":" + line + ": " + problem);
    }
}
