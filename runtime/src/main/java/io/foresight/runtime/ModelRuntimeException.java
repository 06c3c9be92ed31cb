package io.foresight.runtime;

/**
 * Root of the unchecked exceptions of the model runtime: ONNX Runtime that cannot load or run, a
 * model that does not match its card, a device that cannot start. Messages say what was being done
 * on which file and how to fix it; the encoders and the planner wrap them in their own root
 * exception at their edge.
 */
public class ModelRuntimeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelRuntimeException(String message) {
    super(message);
  }

  public ModelRuntimeException(String message, Throwable cause) {
    super(message, cause);
  }
}
