package raftkv.cs3700.harness;

import java.util.List;

/**
 * Everything one run measured; the figures the course simulator prints plus what our pass rules need.
 *
 * @param died                replicas that died on their own (trap, non-UTF-8, exited unasked), with reasons
 * @param totalMsgs           messages between replicas as counted by the routing rules
 * @param gets                logical get requests issued by the clients (retries not counted)
 * @param puts                logical put requests issued by the clients
 * @param failReplies         {@code fail} replies received
 * @param unansweredGets      logical gets never answered {@code ok}
 * @param unansweredPuts      logical puts never answered {@code ok}
 * @param incorrect           descriptions of incorrect replies (wrong value, reply to an abandoned MID, ...)
 * @param medianLatency       seconds, over every reply; NaN when there was none
 * @param getGenerationFails  gets that could not be generated because no key was stored yet (a put was sent instead)
 */
public record RunFigures(
        String test,
        Generation generation,
        long seed,
        List<String> died,
        long totalMsgs,
        long dropped,
        int gets,
        int puts,
        int duplicates,
        int failReplies,
        int unansweredGets,
        int unansweredPuts,
        int redirects,
        List<String> incorrect,
        double medianLatency,
        boolean keyStored,
        int getGenerationFails,
        int getGenerationAttempts,
        boolean packetStorm,
        String workDir) {

    public RunFigures {
        died = List.copyOf(died);
        incorrect = List.copyOf(incorrect);
    }

    public int unanswered() {
        return unansweredGets + unansweredPuts;
    }

    /** The graded "failures" figure: fail replies plus unanswered requests. */
    public int failures() {
        return failReplies + unanswered();
    }

    /** The same figures without a working directory (after it was deleted). */
    public RunFigures withoutWorkDir() {
        return new RunFigures(test, generation, seed, died, totalMsgs, dropped, gets, puts, duplicates, failReplies,
                unansweredGets, unansweredPuts, redirects, incorrect, medianLatency, keyStored, getGenerationFails,
                getGenerationAttempts, packetStorm, null);
    }
}
