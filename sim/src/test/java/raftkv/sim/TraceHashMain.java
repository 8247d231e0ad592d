package raftkv.sim;

/** Prints the trace hash of one seed; run in a fresh JVM by {@link DeterminismTest}. */
public final class TraceHashMain {
    private TraceHashMain() {}

    public static void main(String[] args) {
        long seed = Long.parseLong(args[0]);
        int nodes = Integer.parseInt(args[1]);
        System.out.println(Long.toHexString(SimRun.run(seed, DeterminismTest.options(nodes), false).traceHash()));
    }
}
