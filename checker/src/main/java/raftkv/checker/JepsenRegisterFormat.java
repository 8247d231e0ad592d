package raftkv.checker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jepsen's single compare-and-set register logs ({@code jepsen-etcd/etcd_NNN.log}): one event a
 * line, {@code P :invoke|:ok|:fail|:info :read|:write|:cas VALUE}, possibly after a logger prefix.
 * The line number is the time. Lines without such an event (nemesis, start/stop) are skipped.
 */
public final class JepsenRegisterFormat {

    private static final Pattern EVENT = Pattern.compile("(?:^|\\s)(\\d+)\\s+:(invoke|ok|fail|info)\\s+:(read|write|cas)\\b\\s*(.*?)\\s*$");
    private static final Pattern CAS_ARGS = Pattern.compile("\\[\\s*(\\S+)\\s+(\\S+)\\s*]");
    private static final String KEY = "register";

    private JepsenRegisterFormat() {}

    /** Whether a line looks like an event of this format (used for auto-detection). */
    static boolean looksLikeEvent(String line) {
        return EVENT.matcher(line).find();
    }

    private record Pending(Command command, long invoke) {}

    public static ParsedHistory parse(List<String> lines, String source) {
        History.Builder builder = History.builder();
        Map<Integer, Pending> pending = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = EVENT.matcher(lines.get(i));
            if (!m.find()) continue;
            int process;
            try {
                process = Integer.parseInt(m.group(1));
            } catch (NumberFormatException e) {
                throw HistoryParseException.at(source, i + 1, "process number out of range");
            }
            String type = m.group(2), f = m.group(3), value = m.group(4);
            long time = i;
            if (type.equals("invoke")) {
                Pending previous = pending.put(process, new Pending(command(f, value, source, i + 1), time));
                if (previous != null) { // a process runs one op at a time: the earlier one never reported back
                    builder.add(Operation.unknown(process, previous.command(), previous.invoke()));
                }
                continue;
            }
            Pending p = pending.remove(process);
            if (p == null) {
                throw HistoryParseException.at(source, i + 1, "process " + process + " completes an operation it never invoked");
            }
            switch (type) {
                case "info" -> builder.add(Operation.unknown(process, p.command(), p.invoke()));
                case "fail" -> {
                    if (p.command() instanceof Command.Cas c) { // did not swap: value was not the expected one
                        builder.add(Operation.cas(process, KEY, c.expected(), c.value(), false, p.invoke(), time));
                    } else {
                        builder.add(Operation.failed(process, p.command(), p.invoke(), time));
                    }
                }
                default -> builder.add(switch (p.command()) {
                    case Command.Get g -> Operation.get(process, KEY, atom(value, source, i + 1), p.invoke(), time);
                    case Command.Cas c -> Operation.cas(process, KEY, c.expected(), c.value(), true, p.invoke(), time);
                    default -> new Operation(process, p.command(), p.invoke(), time, Outcome.OK, null);
                });
            }
        }
        for (Map.Entry<Integer, Pending> open : pending.entrySet()) {
            builder.add(Operation.unknown(open.getKey(), open.getValue().command(), open.getValue().invoke()));
        }
        return new ParsedHistory(builder.build(), Model.register(), "jepsen-register");
    }

    private static Command command(String f, String value, String source, int line) {
        return switch (f) {
            case "read" -> new Command.Get(KEY);
            case "write" -> {
                String v = atom(value, source, line);
                if (v == null) throw HistoryParseException.at(source, line, "write of nil");
                yield new Command.Put(KEY, v);
            }
            default -> {
                Matcher m = CAS_ARGS.matcher(value);
                if (!m.matches()) throw HistoryParseException.at(source, line, "cas needs [expected new], got '" + value + "'");
                String next = atom(m.group(2), source, line);
                if (next == null) throw HistoryParseException.at(source, line, "cas to nil");
                yield new Command.Cas(KEY, atom(m.group(1), source, line), next);
            }
        };
    }

    /** {@code nil} is the register's initial, empty state. */
    private static String atom(String token, String source, int line) {
        if (token.isEmpty()) throw HistoryParseException.at(source, line, "missing value");
        return token.equals("nil") ? null : token;
    }
}
