package raftkv.raft;
