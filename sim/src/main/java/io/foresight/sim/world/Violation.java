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

  /**
   * The kinds of violation of every simulated world; {@link #code()} is the label written to {@code
   * violations.npy} and is unique across worlds, so a label means the same thing in any dataset.
   * Each world injects only its own kinds: {@link #twoRooms()} and {@link #pushT()}.
   */
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
    THROUGH_WALL(3),
    /** Push-T: the block jumps to a distant free pose in one step, nothing touching it. */
    BLOCK_TELEPORT(4),
    /** Push-T: the block turns by a large angle in one step while the agent does not touch it. */
    BLOCK_SPIN(5),
    /**
     * Push-T: the block passes through the agent: on the labelled frame the agent is drawn inside
     * the block (which has not moved); on the next frame the agent is on the far side of the block
     * (the action of that step is ignored) and the block still has not moved.
     */
    BLOCK_THROUGH_AGENT(6);

    private static final java.util.Set<Kind> TWO_ROOMS =
        java.util.Collections.unmodifiableSet(java.util.EnumSet.of(TELEPORT, VANISH, THROUGH_WALL));
    private static final java.util.Set<Kind> PUSH_T =
        java.util.Collections.unmodifiableSet(
            java.util.EnumSet.of(BLOCK_TELEPORT, BLOCK_SPIN, BLOCK_THROUGH_AGENT));

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    /**
     * The label of this kind in datasets: 1 teleport, 2 vanish, 3 through-wall (Two-Rooms); 4 block
     * teleport, 5 block spin, 6 block through agent (Push-T); 0 is none.
     */
    public int code() {
      return code;
    }

    /** The kinds the Two-Rooms world injects: teleport, vanish, through-wall. */
    public static java.util.Set<Kind> twoRooms() {
      return TWO_ROOMS;
    }

    /** The kinds the Push-T world injects: block teleport, block spin, block through agent. */
    public static java.util.Set<Kind> pushT() {
      return PUSH_T;
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
              + "; expected 1 (teleport), 2 (vanish), 3 (through-wall), 4 (block teleport), 5"
              + " (block spin) or 6 (block through agent)");
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
