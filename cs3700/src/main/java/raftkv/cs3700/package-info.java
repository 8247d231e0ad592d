package raftkv.cs3700;
