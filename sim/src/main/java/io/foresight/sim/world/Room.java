package io.foresight.sim.world;

/** One of the two rooms of the {@link TwoRoomsWorld}: left or right of the wall. */
public enum Room {
  LEFT,
  RIGHT;

  /** The other room. */
  public Room other() {
    return this == LEFT ? RIGHT : LEFT;
  }
}
