package raftkv.cs3700;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./3700kvstore}: a replica for either generation of the course simulator.
 * <ul>
 *   <li>A: {@code 3700kvstore <udp port> <my id> <peer ids...>}, UDP to 127.0.0.1:port, hello first;</li>
 *   <li>B: {@code 3700kvstore <my id> <peer ids...>}, a unix stream socket file named my id in the
 *       working directory.</li>
 * </ul>
 * Generation B is recognized by that socket file existing; otherwise argv[0] is the port.
 */
public final class ReplicaMain {
    private ReplicaMain() {}

    private static void sleepUntil(long wallMillis) {
        long wait = wallMillis - System.currentTimeMillis();
        if (wait <= 0) return;
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: 3700kvstore [<udp port>] <my id> <peer id>...");
            System.exit(2);
        }
        SimulatorLink link;
        String myId;
        List<String> peers;
        if (Files.exists(Path.of(args[0])) && !args[0].isEmpty()) {
            myId = args[0];
            peers = Arrays.asList(args).subList(1, args.length);
            link = SimulatorLink.unix(Path.of(args[0]));
        } else {
            int port;
            try {
                port = Integer.parseInt(args[0]);
            } catch (NumberFormatException e) {
                System.err.println("3700kvstore: '" + args[0] + "' is neither a UDP port nor a socket file here");
                System.exit(2);
                return;
            }
            myId = args[1];
            peers = Arrays.asList(args).subList(2, args.length);
            link = SimulatorLink.udp(port);
            // Generation A learns our address from this datagram: it must come first and fast.
            link.send("{\"src\": \"" + myId + "\", \"dst\": \"FFFF\", \"leader\": \"FFFF\", \"type\": \"hello\"}");
        }
        ReplicaTuning tuning = ReplicaTuning.DEFAULT;
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Replica replica = new Replica(myId, peers, link, tuning);
        replica.start(jvmStart + tuning.startupMillis());
        // Ready the JIT in the seconds before clients come (PROTOCOL.md: 5 s after launch), on a
        // thread of its own beside the replica: the five JVMs start at once on two cores, and their
        // start-up alone can take most of the window in which no peer message may be sent.
        Thread warmup = new Thread(() -> {
            sleepUntil(jvmStart + tuning.warmupFromMillis());
            int warmed = Warmup.runUntil(jvmStart + tuning.warmupUntilMillis());
            System.err.println(myId + ": JIT warm-up served " + warmed + " private requests");
        }, "jit-warmup");
        warmup.setDaemon(true);
        warmup.start();
        CountDownLatch linkClosed = new CountDownLatch(1);
        replica.listen(linkClosed::countDown);
        try {
            linkClosed.await(); // then the JVM ends: every other thread is a daemon
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
