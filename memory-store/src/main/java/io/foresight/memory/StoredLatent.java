package io.foresight.memory;

import io.foresight.memory.api.ModelId;
import io.foresight.memory.api.Reading;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One latent state as the memory keeps it: where and when it was seen, which model encoded it, the
 * latent itself and the sensor readings aligned with its frame.
 *
 * @param stream the stream id
 * @param sequence the frame's sequence number in its stream
 * @param timeUs the frame's time in microseconds
 * @param model the model that produced the latent
 * @param shape the latent's shape, e.g. {@code [64]} or {@code [1, 64]}
 * @param latent the latent values, row-major, {@code product(shape)} of them
 * @param readings readings aligned with the frame, possibly empty
 */
public record StoredLatent(
    String stream,
    long sequence,
    long timeUs,
    ModelId model,
    int[] shape,
    float[] latent,
    List<Reading> readings) {
  /** Validates the fields. */
  public StoredLatent {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(latent, "latent");
    readings = List.copyOf(readings);
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (n != latent.length) {
      throw new MemoryException(
          "latent shape "
              + Arrays.toString(shape)
              + " holds "
              + n
              + " values but "
              + latent.length
              + " were given");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredLatent s
        && stream.equals(s.stream)
        && sequence == s.sequence
        && timeUs == s.timeUs
        && model.equals(s.model)
        && Arrays.equals(shape, s.shape)
        && Arrays.equals(latent, s.latent)
        && readings.equals(s.readings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(stream, sequence, timeUs, model);
  }

  @Override
  public String toString() {
    return "StoredLatent["
        + stream
        + " #"
        + sequence
        + " @"
        + timeUs
        + " "
        + model.name()
        + "/"
        + model.sha256().substring(0, 12)
        + " "
        + Arrays.toString(shape)
        + "]";
  }
}
