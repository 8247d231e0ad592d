package raftkv.cs3700.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One course test config (the JSON files in {@code configs/}). Times are seconds after the 5 s start.
 *
 * @param name       the file name without ".json", used in reports
 * @param benchmarks figure name ({@code total_msgs}, {@code failures}, {@code duplicates},
 *                   {@code median_latency}) to its {@code [a, b, c]} triple
 */
public record TestConfig(
        String name,
        double lifetime,
        int replicas,
        int requests,
        double mix,
        double drops,
        double endWait,
        OptionalLong seed,
        List<Event> events,
        Map<String, double[]> benchmarks,
        OptionalDouble maxGetGenerationFailFraction) {

    /** A scheduled fault: {@code kill_leader}, {@code kill_non_leader}, {@code part_easy}, {@code part_hard}, {@code part_end}. */
    public record Event(String type, double time) {}

    public TestConfig {
        if (replicas < 1 || replicas > 0xFFFF - 16) throw new IllegalArgumentException("replicas must be >= 1, got " + replicas);
        if (lifetime <= 0) throw new IllegalArgumentException("lifetime must be > 0, got " + lifetime);
        if (requests < 0) throw new IllegalArgumentException("requests must be >= 0, got " + requests);
        if (mix < 0 || mix > 1) throw new IllegalArgumentException("mix must be in [0,1], got " + mix);
        if (drops < 0 || drops > 1) throw new IllegalArgumentException("drops must be in [0,1], got " + drops);
        events = List.copyOf(events);
        benchmarks = Map.copyOf(benchmarks);
    }

    public static TestConfig load(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        String name = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
        try {
            return parse(name, new ObjectMapper().readTree(Files.readAllBytes(file)));
        } catch (IllegalArgumentException e) {
            throw new IOException("bad config " + file + ": " + e.getMessage(), e);
        }
    }

    public static TestConfig parse(String name, JsonNode root) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("config is not a JSON object");
        List<Event> events = new ArrayList<>();
        for (JsonNode e : root.path("events")) {
            String type = e.path("type").asText("");
            if (!List.of("kill_leader", "kill_non_leader", "part_easy", "part_hard", "part_end").contains(type)) {
                throw new IllegalArgumentException("unknown event type '" + type + "'");
            }
            events.add(new Event(type, e.path("time").asDouble(0)));
        }
        Map<String, double[]> benchmarks = new LinkedHashMap<>();
        root.path("tests").path("benchmarks").fields().forEachRemaining(f -> {
            JsonNode v = f.getValue();
            if (!v.isArray() || v.size() != 3) throw new IllegalArgumentException("benchmark " + f.getKey() + " is not a triple");
            benchmarks.put(f.getKey(), new double[] {v.get(0).asDouble(), v.get(1).asDouble(), v.get(2).asDouble()});
        });
        JsonNode fraction = root.get("maximum_get_generation_fail_fraction");
        return new TestConfig(
                name,
                required(root, "lifetime").asDouble(),
                required(root, "replicas").asInt(),
                required(root, "requests").asInt(),
                root.path("mix").asDouble(0),
                root.path("drops").asDouble(0),
                root.path("end_wait").asDouble(0),
                root.has("seed") ? OptionalLong.of(root.get("seed").asLong()) : OptionalLong.empty(),
                events,
                benchmarks,
                fraction == null ? OptionalDouble.empty() : OptionalDouble.of(fraction.asDouble()));
    }

    private static JsonNode required(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isNumber()) throw new IllegalArgumentException("missing numeric field '" + field + "'");
        return node;
    }

    /** Replica {@code i}'s ID: four upper-case hex digits. */
    public static String replicaId(int i) {
        return String.format("%04X", i);
    }

    /** Client {@code i}'s ID: clients start at {@code replicas + 16}. */
    public String clientId(int i) {
        return String.format("%04X", replicas + 16 + i);
    }

    /** The floor on messages between replicas below which a run fails. */
    public double messageFloor() {
        return requests * replicas * (1 - mix) * 0.5;
    }
}
