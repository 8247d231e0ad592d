package raftkv.sim;
