package io.foresight.ingest;

/**
 * Counters of a {@link FramePublisher}: records handed to Kafka, acknowledged, failed, and the
 * bytes sent.
 *
 * @param sent records handed to the producer
 * @param acked records the broker acknowledged
 * @param failed records whose send failed (see {@code firstError})
 * @param bytes value bytes handed to the producer
 * @param firstError the first send failure, or null
 */
public record PublisherStats(long sent, long acked, long failed, long bytes, String firstError) {}
