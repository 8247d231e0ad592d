package raftkv.checker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** raftkv's own history format: JSON lines, see checker/HISTORY-FORMAT.md. */
public final class JsonLinesFormat {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLinesFormat() {}

    public static ParsedHistory parse(List<String> lines, String source) {
        History.Builder builder = History.builder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            try {
                builder.add(operation(MAPPER.readTree(line)));
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw HistoryParseException.at(source, i + 1, "not valid JSON: " + e.getOriginalMessage());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw HistoryParseException.at(source, i + 1, e.getMessage());
            }
        }
        return new ParsedHistory(builder.build(), Model.kv(), "raftkv-jsonl");
    }

    /** One line as JSON text, the inverse of parsing (used by recorders and tests). */
    public static String format(Operation op) {
        var node = MAPPER.createObjectNode();
        node.put("client", op.client());
        Command c = op.command();
        node.put("op", switch (c) {
            case Command.Get g -> "get";
            case Command.Put p -> "put";
            case Command.Delete d -> "delete";
            case Command.Cas x -> "cas";
            case Command.Append a -> "append";
        });
        node.put("key", c.key());
        switch (c) {
            case Command.Put p -> node.put("value", p.value());
            case Command.Append a -> node.put("value", a.value());
            case Command.Cas x -> {
                node.put("expected", x.expected());
                node.put("value", x.value());
            }
            default -> { }
        }
        node.put("invoke", op.invoke());
        if (op.outcome() != Outcome.UNKNOWN) node.put("complete", op.complete());
        node.put("outcome", op.outcome().name().toLowerCase(java.util.Locale.ROOT));
        if (op.outcome() == Outcome.OK) {
            if (c instanceof Command.Get) node.put("result", (String) op.result());
            if (c instanceof Command.Cas) node.put("result", (Boolean) op.result());
        }
        return node.toString();
    }

    private static Operation operation(JsonNode n) {
        if (!n.isObject()) throw new IllegalArgumentException("expected a JSON object");
        int client = required(n, "client").asInt();
        String key = text(required(n, "key"), "key");
        Command command = switch (text(required(n, "op"), "op")) {
            case "get" -> new Command.Get(key);
            case "put" -> new Command.Put(key, text(required(n, "value"), "value"));
            case "delete" -> new Command.Delete(key);
            case "append" -> new Command.Append(key, text(required(n, "value"), "value"));
            case "cas" -> new Command.Cas(key, nullableText(required(n, "expected"), "expected"), text(required(n, "value"), "value"));
            default -> throw new IllegalArgumentException("unknown op '" + n.get("op").asText() + "' (expected get, put, delete, cas or append)");
        };
        long invoke = longValue(required(n, "invoke"), "invoke");
        Outcome outcome = switch (text(required(n, "outcome"), "outcome")) {
            case "ok" -> Outcome.OK;
            case "fail" -> Outcome.FAIL;
            case "unknown", "info" -> Outcome.UNKNOWN;
            default -> throw new IllegalArgumentException("unknown outcome '" + n.get("outcome").asText() + "' (expected ok, fail or unknown)");
        };
        if (outcome == Outcome.UNKNOWN) return Operation.unknown(client, command, invoke);
        long complete = longValue(required(n, "complete"), "complete");
        if (outcome == Outcome.FAIL) return Operation.failed(client, command, invoke, complete);
        Object result = switch (command) {
            case Command.Get g -> nullableText(required(n, "result"), "result");
            case Command.Cas x -> {
                JsonNode r = required(n, "result");
                if (!r.isBoolean()) throw new IllegalArgumentException("cas result must be true or false");
                yield r.booleanValue();
            }
            default -> null;
        };
        return new Operation(client, command, invoke, complete, outcome, result);
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null) throw new IllegalArgumentException("missing field '" + field + "'");
        return v;
    }

    private static String text(JsonNode v, String field) {
        if (!v.isTextual()) throw new IllegalArgumentException("field '" + field + "' must be a string");
        return v.textValue();
    }

    private static String nullableText(JsonNode v, String field) {
        return v.isNull() ? null : text(v, field);
    }

    private static long longValue(JsonNode v, String field) {
        if (!v.canConvertToLong() || !v.isIntegralNumber()) throw new IllegalArgumentException("field '" + field + "' must be an integer");
        return v.longValue();
    }
}
