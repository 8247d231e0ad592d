package raftkv.cs3700.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts replica processes, each in its own session and process group through {@code setsid}
 * when the machine has it, with stdout and stderr captured to {@code <ID>.stdout.log} and
 * {@code <ID>.stderr.log} in the working directory, and ends them with SIGTERM to the group
 * (falling back to SIGTERM to the process and all its descendants).
 */
final class ReplicaProcesses implements AutoCloseable {
    private static final Path SETSID = findSetsid();

    private final Path workDir;
    /** Called on a process-watching thread when a replica ends. */
    private final Consumer<SimEvent> onExit;
    private final Map<String, Process> processes = new LinkedHashMap<>();

    ReplicaProcesses(Path workDir, Consumer<SimEvent> onExit) {
        this.workDir = workDir;
        this.onExit = onExit;
    }

    void start(String id, List<String> command, List<String> args) throws IOException {
        List<String> argv = new ArrayList<>();
        if (SETSID != null) argv.add(SETSID.toString());
        argv.addAll(command);
        argv.addAll(args);
        Process process = new ProcessBuilder(argv)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(workDir.resolve(id + ".stdout.log").toFile())
                .redirectError(workDir.resolve(id + ".stderr.log").toFile())
                .start();
        processes.put(id, process);
        process.onExit().thenAccept(p -> onExit.accept(new SimEvent.Exited(id, p.exitValue())));
    }

    /** SIGTERM to the replica's process group (and, as a fallback, to its process tree). */
    void terminate(String id) {
        Process process = processes.get(id);
        if (process == null || !process.isAlive()) return;
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        if (SETSID != null) signalGroup(process.pid(), "-TERM");
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
    }

    /** Ends every replica: SIGTERM, a short grace, then SIGKILL for anything left. */
    @Override
    public void close() {
        Map<String, List<ProcessHandle>> trees = new LinkedHashMap<>();
        processes.forEach((id, p) -> trees.put(id, new ArrayList<>(p.descendants().toList())));
        processes.keySet().forEach(this::terminate);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (Map.Entry<String, Process> e : processes.entrySet()) {
            Process p = e.getValue();
            try {
                p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            if (SETSID != null) signalGroup(p.pid(), "-KILL");
            trees.get(e.getKey()).forEach(h -> { if (h.isAlive()) h.destroyForcibly(); });
            if (p.isAlive()) p.destroyForcibly();
        }
    }

    private static void signalGroup(long leaderPid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, "--", "-" + leaderPid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): the descendant fallback still runs
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path findSetsid() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, "setsid");
            if (Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }
}
