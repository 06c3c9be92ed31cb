package io.foresight.tools.ingest;

import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.world.Violation;
import io.foresight.sim.world.WorldConfig;
import io.foresight.sim.world.WorldSpec;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The {@code --world} option of the simulator commands ({@code ingest sim}, {@code robot}, {@code
 * dataset record}) and the one place that turns it and the world flags into a {@link WorldSpec}.
 */
public final class WorldChoice {
  /** The worlds {@code --world} accepts. */
  public static final String NAMES = WorldConfig.NAME + ", " + PushTConfig.NAME;

  @Option(
      names = "--world",
      defaultValue = WorldConfig.NAME,
      description =
          "The simulated world: tworooms (an agent between two rooms) or pusht (an agent pushing"
              + " a T-shaped block; see docs/pusht.md). Default: ${DEFAULT-VALUE}.")
  String world = WorldConfig.NAME;

  /** Whether the Push-T world is chosen. */
  public boolean pushT() {
    return PushTConfig.NAME.equals(name());
  }

  /** The chosen world's name, lower case. */
  public String name() {
    String n = world.strip().toLowerCase(Locale.ROOT).replace("-", "");
    if (!n.equals(WorldConfig.NAME) && !n.equals(PushTConfig.NAME)) {
      throw new IllegalArgumentException("unknown world '" + world + "'; use " + NAMES);
    }
    return n;
  }

  /**
   * The chosen world's configuration.
   *
   * @param width image width in pixels
   * @param height image height in pixels
   * @param balls Two-Rooms' bouncing balls (must be 0 for Push-T)
   * @param violations probability per step of a violation
   * @param kinds violation kinds by name (e.g. {@code teleport}, {@code block-spin}); null or empty
   *     = all of the world's
   */
  public WorldSpec spec(int width, int height, int balls, double violations, Set<String> kinds) {
    EnumSet<Violation.Kind> parsed = null;
    if (kinds != null && !kinds.isEmpty()) {
      parsed = EnumSet.noneOf(Violation.Kind.class);
      for (String k : kinds) {
        parsed.add(Violation.Kind.valueOf(k.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
      }
    }
    if (pushT()) {
      if (balls != 0) {
        throw new IllegalArgumentException(
            "--balls belongs to the Two-Rooms world; the Push-T world has no balls (drop --balls"
                + " or use --world tworooms)");
      }
      PushTConfig.Builder b = PushTConfig.builder().size(width, height).violationRate(violations);
      if (parsed != null) {
        b.violationKinds(parsed);
      }
      return b.build();
    }
    WorldConfig.Builder b =
        WorldConfig.builder().size(width, height).balls(balls).violationRate(violations);
    if (parsed != null) {
      b.violationKinds(parsed);
    }
    return b.build();
  }
}
