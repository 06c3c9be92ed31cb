package io.foresight.pipeline;

/** Root of the unchecked exceptions of the pipeline module: the job or a launcher failed. */
public class PipelineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PipelineException(String message) {
    super(message);
  }

  public PipelineException(String message, Throwable cause) {
    super(message, cause);
  }
}
