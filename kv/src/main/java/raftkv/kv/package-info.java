package raftkv.kv;
