package raftkv.bench;
