package raftkv.cs3700.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the repository root, the official configs folder ({@code <repo>/../shared/cs3700/configs}
 * unless overridden by the system property {@code raftkv.cs3700.configs} or the environment
 * variable {@code RAFTKV_CS3700_CONFIGS}) and the default replica launcher ({@code <repo>/3700kvstore}).
 */
public final class ConfigLocator {
    private ConfigLocator() {}

    /** The nearest ancestor of the working directory holding {@code mvnw} and a {@code cs3700} module. */
    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("cs3700"))) return p;
        }
        return dir;
    }

    public static Path configsDir() {
        String override = System.getProperty("raftkv.cs3700.configs", System.getenv("RAFTKV_CS3700_CONFIGS"));
        if (override != null && !override.isBlank()) return Path.of(override).toAbsolutePath();
        return repoRoot().resolve("../shared/cs3700/configs").normalize();
    }

    public static List<String> defaultReplicaCommand() {
        return List.of(repoRoot().resolve("3700kvstore").toString());
    }

    /**
     * Resolves config arguments: an existing file path, a bare name such as {@code simple-1}
     * (looked up in {@code configsDir}), or {@code all} (every {@code .json} there, sorted).
     */
    public static List<Path> resolve(List<String> specs, Path configsDir) throws IOException {
        List<Path> result = new ArrayList<>();
        for (String spec : specs) {
            if (spec.equals("all")) {
                if (!Files.isDirectory(configsDir)) throw new IOException("configs folder not found: " + configsDir);
                try (Stream<Path> files = Files.list(configsDir)) {
                    files.filter(f -> f.toString().endsWith(".json")).sorted().forEach(result::add);
                }
                continue;
            }
            Path asPath = Path.of(spec);
            if (Files.isRegularFile(asPath)) {
                result.add(asPath.toAbsolutePath());
                continue;
            }
            Path named = configsDir.resolve(spec.endsWith(".json") ? spec : spec + ".json");
            if (!Files.isRegularFile(named)) {
                throw new IOException("no config '" + spec + "' (neither a file nor " + named + ")");
            }
            result.add(named);
        }
        return result;
    }
}
