package raftkv.sim;

/**
 * What the nodes' disks went through in one run.
 *
 * @param inFlightAtCrashes writes issued but not yet synced when their node crashed (lost or torn)
 * @param recoveries        starts after a crash that recovered the node's files
 * @param tornTailsCut      recoveries that cut a torn tail off the last log segment
 * @param refusedStarts     starts refused, as expected, because a bit was flipped inside the log
 */
public record DiskStats(int inFlightAtCrashes, int recoveries, int tornTailsCut, int refusedStarts) {
}
