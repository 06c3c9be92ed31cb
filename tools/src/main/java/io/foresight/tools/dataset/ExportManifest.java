package io.foresight.tools.dataset;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What {@code foresight dataset export} wrote ({@code manifest.json} next to the arrays) and what
 * it left out, and why.
 *
 * @param source always {@code topics}
 * @param bootstrap the Kafka cluster read
 * @param streams the stream-id pattern
 * @param fromMs the earliest frame capture time taken (null: from the beginning)
 * @param toMs the latest (exclusive; null: up to the end at the start of the export)
 * @param episodes episodes written
 * @param steps frames (and actions) per episode
 * @param frame height, width and channels of every frame
 * @param actionDim values per action
 * @param readingKind the readings kind aligned with the frames (null: none found)
 * @param readingNames names of the reading's values, when the producer gave them
 * @param perStream episodes per stream id
 * @param timeSpanUs capture time of the first and the last frame written
 * @param counts what was read and what was left out: {@code frames_read}, {@code frames_written},
 *     {@code gaps} (a missing sequence ended an episode), {@code frames_without_action}, {@code
 *     frames_other_size}, {@code frames_undecodable}, {@code frames_out_of_order}, {@code
 *     frames_in_short_segments} (left at the end of a gap-free run shorter than an episode), {@code
 *     actions_read}, {@code actions_without_frame_sequence}, {@code actions_other_size}, {@code
 *     actions_repeated} (a later action for the same frame replaced an earlier one), {@code
 *     readings_read}
 * @param layout what each array holds
 */
public record ExportManifest(
    String source,
    String bootstrap,
    String streams,
    @JsonProperty("from_ms") Long fromMs,
    @JsonProperty("to_ms") Long toMs,
    long episodes,
    int steps,
    Map<String, Integer> frame,
    @JsonProperty("action_dim") int actionDim,
    @JsonProperty("reading_kind") String readingKind,
    @JsonProperty("reading_names") List<String> readingNames,
    @JsonProperty("per_stream") Map<String, Long> perStream,
    @JsonProperty("time_span_us") List<Long> timeSpanUs,
    Map<String, Long> counts,
    Map<String, String> layout) {}
