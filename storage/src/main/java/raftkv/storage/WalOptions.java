package raftkv.storage;

/**
 * Tuning of the segmented log.
 *
 * @param segmentBytes   a segment is closed and a new one started once the next record would
 *                       make it longer than this (a single record larger than this still gets a
 *                       segment of its own, up to {@code maxRecordBytes})
 * @param maxRecordBytes the largest record payload accepted on append and believed on recovery;
 *                       a length field above it is treated as damage, never allocated
 */
public record WalOptions(long segmentBytes, int maxRecordBytes) {

    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 << 20;

    public WalOptions {
        if (segmentBytes < SegmentHeader.SIZE + RecordCodec.FRAME_OVERHEAD + RecordCodec.PAYLOAD_HEADER) {
            throw new IllegalArgumentException("segmentBytes too small: " + segmentBytes);
        }
        if (maxRecordBytes < RecordCodec.PAYLOAD_HEADER) {
            throw new IllegalArgumentException("maxRecordBytes too small: " + maxRecordBytes);
        }
    }

    public static WalOptions defaults() {
        return new WalOptions(DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_RECORD_BYTES);
    }

    public static WalOptions withSegmentBytes(long segmentBytes) {
        return new WalOptions(segmentBytes, DEFAULT_MAX_RECORD_BYTES);
    }
}
