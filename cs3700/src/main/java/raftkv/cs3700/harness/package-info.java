/**
 * Our own emulation of the CS3700 "Project 6" course simulator (both generations), written from
 * /work/shared/cs3700/PROTOCOL.md: it launches real replica processes, routes and counts their
 * messages, injects drops, partitions and kills, plays the clients, checks the answers and
 * grades the run the way the course simulator does. Entry point: {@link raftkv.cs3700.harness.HarnessTool}.
 */
package raftkv.cs3700.harness;
