package io.foresight.encoders;

import io.foresight.schemas.ModelCard;
import io.foresight.schemas.Tensors;
import io.foresight.schemas.avro.CameraFrame;
import io.foresight.schemas.avro.FrameEncoding;
import java.nio.FloatBuffer;

/**
 * A reusable batch of decoded frames: one direct, native-order {@link FloatBuffer} of {@code
 * capacity x channels x height x width} floats that ONNX Runtime reads without copying, filled slot
 * by slot.
 *
 * <p>Not thread-safe. A failed {@link #add} leaves the batch as it was.
 *
 * <pre>{@code
 * FrameBatch batch = encoder.newBatch();
 * batch.add(decoder, frame);
 * LatentBatch latents = encoder.encode(batch);
 * batch.clear();
 * }</pre>
 */
public final class FrameBatch {
  private final ModelCard.Input input;
  private final int capacity;
  private final int frameSize;
  private final FloatBuffer buffer;
  private int size;

  private FrameBatch(ModelCard.Input input, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("batch capacity must be >= 1, got " + capacity);
    }
    this.input = input;
    this.capacity = capacity;
    this.frameSize = input.channels() * input.height() * input.width();
    this.buffer = Tensors.directFloats(capacity * frameSize);
  }

  /** A batch for {@code capacity} frames of a model input. */
  public static FrameBatch allocate(ModelCard.Input input, int capacity) {
    return new FrameBatch(input, capacity);
  }

  /** Decodes a frame into the next free slot; returns the slot. */
  public int add(FrameDecoder decoder, CameraFrame frame) {
    checkRoom();
    decoder.decode(frame, buffer, size);
    return size++;
  }

  /** Decodes frame bytes into the next free slot; returns the slot. */
  public int add(FrameDecoder decoder, FrameEncoding encoding, int width, int height, byte[] data) {
    checkRoom();
    decoder.decode(encoding, width, height, data, 0, data.length, buffer, size);
    return size++;
  }

  /**
   * Marks the next slot as filled by the caller, who wrote {@link #frameSize()} floats at {@code
   * size() * frameSize()} of {@link #buffer()}; returns the slot.
   */
  public int commitSlot() {
    checkRoom();
    return size++;
  }

  /** Forgets the frames (the buffer's contents are overwritten by the next adds). */
  public void clear() {
    size = 0;
  }

  /** The whole buffer (capacity slots); slot {@code i} starts at float {@code i * frameSize()}. */
  public FloatBuffer buffer() {
    return buffer;
  }

  /** The model input the slots are laid out for. */
  public ModelCard.Input input() {
    return input;
  }

  public int size() {
    return size;
  }

  public int capacity() {
    return capacity;
  }

  /** Floats per frame. */
  public int frameSize() {
    return frameSize;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public boolean isFull() {
    return size == capacity;
  }

  private void checkRoom() {
    if (size == capacity) {
      throw new IllegalStateException(
          "batch is full (" + capacity + " frames); encode and clear it first");
    }
  }
}
