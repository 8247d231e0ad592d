package raftkv.checker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads a history file in any supported format, detected from its content. */
public final class HistoryFiles {

    private HistoryFiles() {}

    public static ParsedHistory read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HistoryParseException(file + ": cannot read: " + e.getMessage());
        }
        String source = file.toString();
        return switch (detect(lines)) {
            case "jsonl" -> JsonLinesFormat.parse(lines, source);
            case "edn" -> EdnKvFormat.parse(lines, source);
            case "jepsen" -> JepsenRegisterFormat.parse(lines, source);
            case "empty" -> new ParsedHistory(History.of(),
                    source.endsWith(".log") ? Model.register() : source.endsWith(".txt") ? new Model.KeyValue("") : Model.kv(), "empty");
            default -> throw new HistoryParseException(source + ": not a recognised history format "
                    + "(expected raftkv JSON lines, Jepsen EDN kv maps or a Jepsen register log)");
        };
    }

    /** "jsonl", "edn", "jepsen", "empty" or "none", from the first meaningful line. */
    static String detect(List<String> lines) {
        boolean empty = true;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            empty = false;
            if (line.startsWith("{\"")) return "jsonl";
            if (line.startsWith("{:")) return "edn";
            if (JepsenRegisterFormat.looksLikeEvent(line)) return "jepsen";
        }
        return empty ? "empty" : "none";
    }

    /** Files named directly, plus history files (.log, .txt, .jsonl, .ndjson) under directories, sorted. */
    public static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).filter(HistoryFiles::looksLikeHistory).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean looksLikeHistory(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".log") || name.endsWith(".txt") || name.endsWith(".jsonl") || name.endsWith(".ndjson");
    }
}
