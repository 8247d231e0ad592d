package raftkv.checker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Jepsen-style multi-key histories ({@code kv/cNN-*.txt}): EDN maps, one a line, e.g.
 * {@code {:process 0, :type :invoke, :f :get, :key "5", :value nil}}. A never-written key reads as
 * {@code ""}, so the model's initial value is {@code ""}; append concatenates. Line number = time.
 */
public final class EdnKvFormat {

    private EdnKvFormat() {}

    private record Pending(Command command, long invoke) {}

    public static ParsedHistory parse(List<String> lines, String source) {
        History.Builder builder = History.builder();
        Map<Long, Pending> pending = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            Map<String, Object> map;
            try {
                map = new EdnMapReader(line).readMap();
            } catch (IllegalArgumentException e) {
                throw HistoryParseException.at(source, i + 1, e.getMessage());
            }
            long process = field(map, "process", Long.class, source, i + 1);
            String type = field(map, "type", EdnMapReader.Keyword.class, source, i + 1).name();
            String f = field(map, "f", EdnMapReader.Keyword.class, source, i + 1).name();
            String key = field(map, "key", String.class, source, i + 1);
            Object value = map.get("value");
            if (value != null && !(value instanceof String)) {
                throw HistoryParseException.at(source, i + 1, ":value must be a string or nil");
            }
            int client = (int) process;
            if (type.equals("invoke")) {
                Command c = switch (f) {
                    case "get" -> new Command.Get(key);
                    case "put" -> new Command.Put(key, requireValue(value, source, i + 1));
                    case "append" -> new Command.Append(key, requireValue(value, source, i + 1));
                    default -> throw HistoryParseException.at(source, i + 1, "unknown :f :" + f + " (expected get, put or append)");
                };
                Pending previous = pending.put(process, new Pending(c, i));
                if (previous != null) builder.add(Operation.unknown(client, previous.command(), previous.invoke()));
                continue;
            }
            Pending p = pending.remove(process);
            if (p == null) throw HistoryParseException.at(source, i + 1, "process " + process + " completes an operation it never invoked");
            switch (type) {
                case "ok" -> builder.add(new Operation(client, p.command(), p.invoke(), i, Outcome.OK,
                        p.command() instanceof Command.Get ? (String) value : null));
                case "fail" -> builder.add(Operation.failed(client, p.command(), p.invoke(), i));
                case "info" -> builder.add(Operation.unknown(client, p.command(), p.invoke()));
                default -> throw HistoryParseException.at(source, i + 1, "unknown :type :" + type);
            }
        }
        pending.forEach((process, p) -> builder.add(Operation.unknown(process.intValue(), p.command(), p.invoke())));
        return new ParsedHistory(builder.build(), new Model.KeyValue(""), "edn-kv");
    }

    private static String requireValue(Object value, String source, int line) {
        if (value == null) throw HistoryParseException.at(source, line, "missing :value");
        return (String) value;
    }

    private static <T> T field(Map<String, Object> map, String name, Class<T> type, String source, int line) {
        Object v = map.get(name);
        if (!type.isInstance(v)) throw HistoryParseException.at(source, line, "missing or malformed :" + name);
        return type.cast(v);
    }
}
