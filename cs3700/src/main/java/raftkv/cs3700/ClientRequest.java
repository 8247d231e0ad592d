package raftkv.cs3700;

/** A get or put from a simulator client, remembered until answered. */
record ClientRequest(String client, String mid, boolean isPut, String key, String value, long arrivedMillis,
                     long arrivedNanos) {}
