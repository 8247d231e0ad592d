package raftkv.raft;

/** A node's role. Pre-candidates run a pre-vote before disturbing anyone's term (Raft thesis §9.6). */
public enum Role { FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER }
