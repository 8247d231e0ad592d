/**
 * The runtime that drives one Raft core and its key-value state machine on a single event-loop
 * thread. Time, the event loop, the peer transport and storage are interfaces passed in, so the
 * same node runs on real time (the server, the course-simulator replica) or on virtual time (the
 * deterministic simulator).
 */
package raftkv.node;
