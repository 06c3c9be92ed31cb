package io.foresight.memory.api;

/**
 * The parameters of {@code GET /streams/{stream}/range} and {@code /transitions}; {@code null}
 * fields are left to the server (the whole time span, 100 per page, the stream's newest model,
 * latents in a range but not in transitions).
 *
 * <pre>{@code
 * StatePage page = memory.range("robot-1", RangeQuery.all().withFrom(t0).withLimit(500));
 * }</pre>
 *
 * @param fromUs first time, inclusive
 * @param toUs last time, exclusive
 * @param limit items per page (at most 10000)
 * @param cursor the {@code nextCursor} of the previous page
 * @param model the model's sha256
 * @param latents whether the states carry their latents
 */
public record RangeQuery(
    Long fromUs, Long toUs, Integer limit, String cursor, String model, Boolean latents) {
  /** Everything, with the server's defaults. */
  public static RangeQuery all() {
    return new RangeQuery(null, null, null, null, null, null);
  }

  public RangeQuery withFrom(Long fromUs) {
    return new RangeQuery(fromUs, toUs, limit, cursor, model, latents);
  }

  public RangeQuery withTo(Long toUs) {
    return new RangeQuery(fromUs, toUs, limit, cursor, model, latents);
  }

  public RangeQuery withLimit(Integer limit) {
    return new RangeQuery(fromUs, toUs, limit, cursor, model, latents);
  }

  public RangeQuery withCursor(String cursor) {
    return new RangeQuery(fromUs, toUs, limit, cursor, model, latents);
  }

  public RangeQuery withModel(String model) {
    return new RangeQuery(fromUs, toUs, limit, cursor, model, latents);
  }

  public RangeQuery withLatents(Boolean latents) {
    return new RangeQuery(fromUs, toUs, limit, cursor, model, latents);
  }
}
