package io.foresight.runtime;

/**
 * An explicitly requested device ({@code cuda} or {@code cuda:N}) could not start. Never thrown for
 * {@code auto}, which falls back to the CPU instead.
 */
public class DeviceUnavailableException extends ModelRuntimeException {
  private static final long serialVersionUID = 1L;

  private final Device device;

  public DeviceUnavailableException(Device device, String message, Throwable cause) {
    super(message, cause);
    this.device = device;
  }

  /** The device that was asked for. */
  public Device device() {
    return device;
  }
}
