package io.foresight.planner;

/**
 * The root of the planner module's unchecked exceptions: a model that cannot be loaded or run, a
 * request that does not fit the model, an option with a bad value.
 */
public class PlannerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PlannerException(String message) {
    super(message);
  }

  public PlannerException(String message, Throwable cause) {
    super(message, cause);
  }
}
