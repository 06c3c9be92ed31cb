package io.foresight.memory.api;

/**
 * The parameters of {@code GET /landmarks}; {@code null} fields are left to the server (32
 * landmarks, the only model stored, every stream, a sample of 20000, with latents).
 *
 * @param k how many landmarks
 * @param model the model's sha256
 * @param stream only this stream's states
 * @param sample states sampled for the selection
 * @param latents whether landmarks carry their latents
 */
public record LandmarkQuery(
    Integer k, String model, String stream, Integer sample, Boolean latents) {
  /** The server's defaults. */
  public static LandmarkQuery defaults() {
    return new LandmarkQuery(null, null, null, null, null);
  }

  public LandmarkQuery withK(Integer k) {
    return new LandmarkQuery(k, model, stream, sample, latents);
  }

  public LandmarkQuery withModel(String model) {
    return new LandmarkQuery(k, model, stream, sample, latents);
  }

  public LandmarkQuery withStream(String stream) {
    return new LandmarkQuery(k, model, stream, sample, latents);
  }

  public LandmarkQuery withSample(Integer sample) {
    return new LandmarkQuery(k, model, stream, sample, latents);
  }

  public LandmarkQuery withLatents(Boolean latents) {
    return new LandmarkQuery(k, model, stream, sample, latents);
  }
}
