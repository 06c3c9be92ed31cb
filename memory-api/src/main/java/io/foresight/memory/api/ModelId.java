package io.foresight.memory.api;

import java.util.Objects;

/**
 * Which model produced a latent: its name, version and the hex SHA-256 of its encoder file, which
 * names the latent space. Latents of different {@code sha256} are never compared.
 *
 * @param name the model's name, e.g. {@code two-rooms}
 * @param version the model's version
 * @param sha256 64 lower-case hex digits
 */
public record ModelId(String name, String version, String sha256) {
  /** Validates the fields and lower-cases the hash. */
  public ModelId {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(sha256, "sha256");
    sha256 = sha256.toLowerCase(java.util.Locale.ROOT);
    if (!isSha256(sha256)) {
      throw new IllegalArgumentException(
          "model sha256 must be 64 hex digits (the SHA-256 of the encoder file), got '"
              + sha256
              + "'");
    }
  }

  /** Whether {@code s} is 64 lower-case hex digits. */
  public static boolean isSha256(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
