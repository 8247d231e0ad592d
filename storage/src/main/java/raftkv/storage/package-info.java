package raftkv.storage;
