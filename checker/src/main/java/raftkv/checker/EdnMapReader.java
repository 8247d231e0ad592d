package raftkv.checker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one flat EDN map of keyword keys to simple values: strings, integers (as Long), keywords,
 * nil (as null), true/false. Enough for Jepsen history lines; anything else is a clear error.
 */
final class EdnMapReader {

    record Keyword(String name) {}

    private final String text;
    private int pos;

    EdnMapReader(String text) {
        this.text = text;
    }

    Map<String, Object> readMap() {
        skipSpace();
        expect('{');
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (peek() == '}') {
                pos++;
                break;
            }
            Object k = readValue();
            if (!(k instanceof Keyword kw)) throw new IllegalArgumentException("map key at column " + pos + " is not a keyword");
            skipSpace();
            map.put(kw.name(), readValue());
        }
        skipSpace();
        if (pos != text.length()) throw new IllegalArgumentException("unexpected text after the map at column " + (pos + 1));
        return map;
    }

    private Object readValue() {
        skipSpace();
        char c = peek();
        if (c == '"') return readString();
        if (c == ':') {
            pos++;
            return new Keyword(readToken());
        }
        String token = readToken();
        if (token.isEmpty()) throw new IllegalArgumentException("expected a value at column " + (pos + 1));
        return switch (token) {
            case "nil" -> null;
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> {
                try {
                    yield Long.parseLong(token);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("unsupported EDN value '" + token + "'");
                }
            }
        };
    }

    private String readString() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw new IllegalArgumentException("unterminated string");
            char c = text.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c == '\\') {
                if (pos >= text.length()) throw new IllegalArgumentException("unterminated string");
                char e = text.charAt(pos++);
                sb.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> e;
                });
            } else {
                sb.append(c);
            }
        }
    }

    private String readToken() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c) || c == ',' || c == '}' || c == '{' || c == '"') break;
            pos++;
        }
        return text.substring(start, pos);
    }

    private void skipSpace() {
        while (pos < text.length() && (Character.isWhitespace(text.charAt(pos)) || text.charAt(pos) == ',')) pos++;
    }

    private char peek() {
        if (pos >= text.length()) throw new IllegalArgumentException("unexpected end of line");
        return text.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) throw new IllegalArgumentException("expected '" + c + "' at column " + (pos + 1));
        pos++;
    }
}
