package raftkv.checker;
