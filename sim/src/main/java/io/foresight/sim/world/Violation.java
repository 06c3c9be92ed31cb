package io.foresight.sim.world;

import java.util.Objects;

/**
 * A physics violation injected into the world, labelled with the frame (step) at which it is
 * visible: the ground truth for surprise evaluation.
 *
 * @param kind what happened
 * @param step the frame index (0 = the frame after reset) at which the violation is visible
 * @param detail a human-readable description (where the agent went, for example)
 */
public record Violation(Kind kind, long step, String detail) {

  /** The kinds of violation; {@link #code()} is the label written to {@code violations.npy}. */
  public enum Kind {
    /** The agent jumps to a distant free position in one step. */
    TELEPORT(1),
    /**
     * The agent disappears for a few frames (it keeps moving while hidden) and reappears; both the
     * frame where it vanishes and the frame where it reappears are labelled.
     */
    VANISH(2),
    /**
     * The agent passes through a solid part of the wall: on the labelled frame it is drawn inside
     * the wall, away from the door; on the next frame it is on the far side (the action of that
     * step is ignored). Possible only while the agent is near a solid part of the wall.
     */
    THROUGH_WALL(3);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    /** The label of this kind in datasets: 1 teleport, 2 vanish, 3 through-wall (0 is none). */
    public int code() {
      return code;
    }

    /** The kind with a given label code. */
    public static Kind ofCode(int code) {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "unknown violation code "
              + code
              + "; expected 1 (teleport), 2 (vanish), 3 (through-wall)");
    }
  }

  public Violation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
  }
}
