package raftkv.node;
