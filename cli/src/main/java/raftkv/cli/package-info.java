package raftkv.cli;
