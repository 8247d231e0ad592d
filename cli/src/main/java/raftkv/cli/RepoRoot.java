package raftkv.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root: the launchers pass it as -Draftkv.home; else the working directory. */
final class RepoRoot {
    private RepoRoot() {}

    static Path find() {
        String home = System.getProperty("raftkv.home");
        Path p = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
        if (!Files.exists(p.resolve("3700kvstore")) && !Files.exists(p.resolve("pom.xml"))) {
            throw new IllegalStateException("cannot find the raftkv repository root (set -Draftkv.home)");
        }
        return p;
    }
}
