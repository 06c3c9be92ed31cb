package io.foresight.sim.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.ingest.IngestException;
import io.foresight.sim.pusht.BlockPose;
import io.foresight.sim.pusht.PushTConfig;
import io.foresight.sim.pusht.PushTWorld;
import io.foresight.sim.world.EpisodesBuilder;
import io.foresight.sim.world.ExplorationPolicy;
import io.foresight.sim.world.Room;
import io.foresight.sim.world.TwoRoomsWorld;
import io.foresight.sim.world.Violation;
import io.foresight.sim.world.WorldConfig;
import io.foresight.sim.world.WorldPolicy;
import io.foresight.sim.world.WorldSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Records episodes of a simulated world (the {@link TwoRoomsWorld} by default, or the {@link
 * PushTWorld}) driven by one of its policies to NumPy files for training a world model.
 *
 * <p>Files written to the output directory (E episodes, T steps, H x W frames):
 *
 * <ul>
 *   <li>{@code frames.npy} uint8 [E,T,H,W,3]: RGB frames;
 *   <li>{@code actions.npy} float32 [E,T,2]: action t is applied after frame t, producing frame t+1
 *       (the last action of an episode produces no recorded frame);
 *   <li>{@code positions.npy} float32 [E,T,2]: the agent's x, y in pixels at frame t (also while a
 *       vanish violation hides it);
 *   <li>{@code doors.npy} float32 [E,2]: door top row and door bottom row (exclusive);
 *   <li>{@code violations.npy} int8 [E,T]: 0 none, 1 teleport, 2 vanish, 3 through-wall, at frame
 *       t;
 *   <li>{@code manifest.json}: parameters, file shapes and statistics.
 * </ul>
 *
 * <p>Push-T ({@link Builder#world} a {@link PushTConfig}) writes {@code frames.npy}, {@code
 * actions.npy}, {@code positions.npy} and {@code violations.npy} as above (codes 4 block teleport,
 * 5 block spin, 6 block through agent) and, instead of the doors:
 *
 * <ul>
 *   <li>{@code block.npy} float32 [E,T,3]: the block's pose x, y (pixels) and angle (radians) at
 *       frame t;
 *   <li>{@code goals.npy} float32 [E,3]: the episode's goal pose, the target of the scripted
 *       pushes;
 *   <li>{@code contacts.npy} int8 [E,T]: 1 where the agent touches the block at frame t.
 * </ul>
 *
 * <p>Arrays are streamed to disk: memory use does not grow with the dataset. Episode {@code e}
 * depends only on the seed and {@code e}, so a dataset is reproducible.
 *
 * <pre>{@code
 * DatasetSummary s = DatasetRecorder.builder()
 *     .episodes(2500).steps(40).seed(1).out(Path.of("data/two-rooms"))
 *     .build().record();
 * }</pre>
 */
public final class DatasetRecorder {
  /** Format tag written to the manifest. */
  public static final String FORMAT = "foresight-two-rooms-npy/1";

  /** Format tag written to the manifest of a Push-T dataset. */
  public static final String PUSH_T_FORMAT = "foresight-push-t-npy/1";

  private final WorldSpec spec;
  private final WorldConfig config;
  private final int episodes;
  private final int steps;
  private final long seed;
  private final String policyName;
  private final Path out;
  private final Consumer<Progress> progress;

  /**
   * Progress of a running recording.
   *
   * @param episodesDone episodes written
   * @param episodes episodes in total
   * @param frames frames written
   * @param seconds elapsed seconds
   */
  public record Progress(int episodesDone, int episodes, long frames, double seconds) {}

  private DatasetRecorder(Builder b) {
    this.spec = b.config;
    this.config = b.config instanceof WorldConfig c ? c : WorldConfig.DEFAULT;
    this.episodes = b.episodes();
    this.steps = b.steps();
    this.seed = b.seed();
    this.policyName = b.policy();
    this.out = b.out;
    this.progress = b.progress;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The seed of episode {@code e} of a dataset recorded with {@code seed} (SplitMix64). */
  public static long episodeSeed(long seed, long episode) {
    long z = seed + (episode + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Records the dataset and writes the manifest last.
   *
   * @throws IngestException if the directory cannot be written
   */
  public DatasetSummary record() {
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new IngestException("Error creating the output directory " + out + ": " + e, e);
    }
    if (spec instanceof PushTConfig p) {
      return recordPushT(p);
    }
    long start = System.nanoTime();
    int w = config.width();
    int h = config.height();
    TwoRoomsWorld world = new TwoRoomsWorld(config);
    ExplorationPolicy policy = ExplorationPolicy.named(policyName);
    byte[] frame = new byte[config.frameBytes()];
    float[] action = new float[2];
    int otherRoom = 0;
    long[] kindCounts = new long[4];
    long lastReport = start;
    try (NpyWriter frames =
            new NpyWriter(out.resolve("frames.npy"), Npy.Dtype.UINT8, episodes, steps, h, w, 3);
        NpyWriter actions =
            new NpyWriter(out.resolve("actions.npy"), Npy.Dtype.FLOAT32, episodes, steps, 2);
        NpyWriter positions =
            new NpyWriter(out.resolve("positions.npy"), Npy.Dtype.FLOAT32, episodes, steps, 2);
        NpyWriter doors = new NpyWriter(out.resolve("doors.npy"), Npy.Dtype.FLOAT32, episodes, 2);
        NpyWriter labels =
            new NpyWriter(out.resolve("violations.npy"), Npy.Dtype.INT8, episodes, steps)) {
      for (int e = 0; e < episodes; e++) {
        long es = episodeSeed(seed, e);
        world.reset(es);
        policy.reset(world, new Random(~es));
        Room startRoom = world.agentRoom();
        for (int t = 0; t < steps; t++) {
          if (t > 0) {
            world.step(action[0], action[1]);
          }
          world.render(frame);
          frames.write(frame, 0, frame.length);
          positions.write(world.agentX());
          positions.write(world.agentY());
          int code = world.violationCode();
          kindCounts[code]++;
          labels.write((byte) code);
          policy.act(world, action);
          actions.write(action[0]);
          actions.write(action[1]);
        }
        doors.write((float) world.doorTop());
        doors.write((float) world.doorBottom());
        if (world.agentRoom() != startRoom) {
          otherRoom++;
        }
        lastReport = reportProgress(e, start, lastReport);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long bytes = bytesOf(FILES);
    DatasetSummary summary =
        new DatasetSummary(
            out,
            episodes,
            steps,
            (long) episodes * steps,
            bytes,
            seconds,
            otherRoom,
            kindCounts[1],
            kindCounts[2],
            kindCounts[3],
            labels(kindCounts, Violation.Kind.twoRooms()),
            0);
    writeManifest(summary);
    return summary;
  }

  /** Reports progress at most every 2 s and after the last episode; returns the time reported. */
  private long reportProgress(int e, long start, long lastReport) {
    if (progress == null) {
      return lastReport;
    }
    long now = System.nanoTime();
    if (now - lastReport > 2_000_000_000L || e == episodes - 1) {
      progress.accept(new Progress(e + 1, episodes, (long) (e + 1) * steps, (now - start) / 1e9));
      return now;
    }
    return lastReport;
  }

  /** The names of {@code kinds}, in code order. */
  private static List<String> kindNames(java.util.Set<Violation.Kind> kinds) {
    List<String> names = new ArrayList<>();
    for (Violation.Kind k : Violation.Kind.values()) {
      if (kinds.contains(k)) {
        names.add(k.name());
      }
    }
    return names;
  }

  /** The total size of the dataset's files. */
  private long bytesOf(List<String> files) {
    long bytes = 0;
    for (String f : files) {
      try {
        bytes += Files.size(out.resolve(f));
      } catch (IOException e) {
        throw new IngestException("Error reading the size of " + out.resolve(f) + ": " + e, e);
      }
    }
    return bytes;
  }

  private static Map<String, Long> labels(long[] counts, java.util.Set<Violation.Kind> kinds) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Violation.Kind k : Violation.Kind.values()) {
      if (kinds.contains(k)) {
        m.put(k.name().toLowerCase(java.util.Locale.ROOT), counts[k.code()]);
      }
    }
    return m;
  }

  private static final List<String> PUSH_T_FILES =
      List.of(
          "frames.npy",
          "actions.npy",
          "positions.npy",
          "block.npy",
          "goals.npy",
          "contacts.npy",
          "violations.npy");

  private DatasetSummary recordPushT(PushTConfig cfg) {
    long start = System.nanoTime();
    int w = cfg.width();
    int h = cfg.height();
    PushTWorld world = new PushTWorld(cfg);
    WorldPolicy policy = world.policy(policyName);
    byte[] frame = new byte[cfg.frameBytes()];
    float[] action = new float[2];
    long[] kindCounts = new long[Violation.Kind.values().length + 1];
    int atGoal = 0;
    long contactFrames = 0;
    long lastReport = start;
    try (NpyWriter frames =
            new NpyWriter(out.resolve("frames.npy"), Npy.Dtype.UINT8, episodes, steps, h, w, 3);
        NpyWriter actions =
            new NpyWriter(out.resolve("actions.npy"), Npy.Dtype.FLOAT32, episodes, steps, 2);
        NpyWriter positions =
            new NpyWriter(out.resolve("positions.npy"), Npy.Dtype.FLOAT32, episodes, steps, 2);
        NpyWriter blocks =
            new NpyWriter(out.resolve("block.npy"), Npy.Dtype.FLOAT32, episodes, steps, 3);
        NpyWriter goals = new NpyWriter(out.resolve("goals.npy"), Npy.Dtype.FLOAT32, episodes, 3);
        NpyWriter contacts =
            new NpyWriter(out.resolve("contacts.npy"), Npy.Dtype.INT8, episodes, steps);
        NpyWriter labels =
            new NpyWriter(out.resolve("violations.npy"), Npy.Dtype.INT8, episodes, steps)) {
      for (int e = 0; e < episodes; e++) {
        long es = episodeSeed(seed, e);
        world.reset(es);
        policy.reset(new Random(~es));
        for (int t = 0; t < steps; t++) {
          if (t > 0) {
            world.step(action[0], action[1]);
          }
          world.render(frame);
          frames.write(frame, 0, frame.length);
          positions.write(world.agentX());
          positions.write(world.agentY());
          BlockPose b = world.block();
          blocks.write(b.x());
          blocks.write(b.y());
          blocks.write(b.angle());
          boolean touch = world.agentTouchesBlock();
          contactFrames += touch ? 1 : 0;
          contacts.write((byte) (touch ? 1 : 0));
          int code = world.violationCode();
          kindCounts[code]++;
          labels.write((byte) code);
          policy.act(action);
          actions.write(action[0]);
          actions.write(action[1]);
        }
        BlockPose g = world.goal();
        goals.write(g.x());
        goals.write(g.y());
        goals.write(g.angle());
        if (world.success()) {
          atGoal++;
        }
        lastReport = reportProgress(e, start, lastReport);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long bytes = bytesOf(PUSH_T_FILES);
    DatasetSummary summary =
        new DatasetSummary(
            out,
            episodes,
            steps,
            (long) episodes * steps,
            bytes,
            seconds,
            0,
            0,
            0,
            0,
            labels(kindCounts, Violation.Kind.pushT()),
            atGoal);
    writePushTManifest(cfg, summary, contactFrames);
    return summary;
  }

  private void writePushTManifest(PushTConfig cfg, DatasetSummary s, long contactFrames) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", PUSH_T_FORMAT);
    m.put("world", PushTConfig.NAME);
    m.put("episodes", episodes);
    m.put("steps", steps);
    m.put("seed", seed);
    m.put("width", cfg.width());
    m.put("height", cfg.height());
    m.put("channels", 3);
    m.put("policy", policyName);
    m.put("violation_rate", cfg.violationRate());
    Map<String, Object> world = new LinkedHashMap<>();
    world.put("units", "arena units: 64 across the image width; pixels = units * scale");
    world.put("scale", cfg.scale());
    world.put("agent_radius", cfg.agentRadius());
    world.put("max_step", cfg.maxStep());
    world.put(
        "block",
        Map.of(
            "bar_length", cfg.barLength(),
            "thickness", cfg.thickness(),
            "stem_length", cfg.stemLength(),
            "centroid_from_top", cfg.centroidFromTop()));
    world.put("block_mass", cfg.blockMass());
    world.put("agent_mass", cfg.agentMass());
    world.put("friction", cfg.friction());
    world.put("linear_damping", cfg.linearDamping());
    world.put("angular_damping", cfg.angularDamping());
    world.put("substeps", cfg.substeps());
    world.put("step_seconds", cfg.stepSeconds());
    world.put("wall_thickness", cfg.wallThickness());
    world.put("violation_kinds", kindNames(cfg.violationKinds()));
    world.put("teleport_min_distance", cfg.teleportMinDistance());
    world.put("spin_min_degrees", cfg.spinMinDegrees());
    world.put("success", Map.of("pixels", cfg.successPixels(), "degrees", cfg.successDegrees()));
    world.put(
        "colors_rgb",
        Map.of(
            "background", hex(PushTWorld.BACKGROUND_RGB),
            "wall", hex(PushTWorld.WALL_RGB),
            "agent", hex(PushTWorld.AGENT_RGB),
            "block", hex(PushTWorld.BLOCK_RGB)));
    m.put("physics", world);
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("frames", file("frames.npy", "uint8", episodes, steps, cfg.height(), cfg.width(), 3));
    files.put("actions", file("actions.npy", "float32", episodes, steps, 2));
    files.put("positions", file("positions.npy", "float32", episodes, steps, 2));
    files.put("block", file("block.npy", "float32", episodes, steps, 3));
    files.put("goals", file("goals.npy", "float32", episodes, 3));
    files.put("contacts", file("contacts.npy", "int8", episodes, steps));
    files.put("violations", file("violations.npy", "int8", episodes, steps));
    m.put("files", files);
    m.put(
        "conventions",
        Map.of(
            "actions",
            "action t is applied after frame t, producing frame t+1; values in [-1,1], the"
                + " agent's commanded velocity times max_step units per step, shortened to at"
                + " most max_step",
            "positions",
            "agent centre x, y in pixels at frame t (x right, y down)",
            "block",
            "block centre of mass x, y in pixels and angle in radians (0 = upright T, positive"
                + " turns clockwise on screen) at frame t",
            "goals",
            "the episode's goal pose of the block (x, y pixels, angle radians)",
            "contacts",
            "1 where the physics engine holds an agent-block contact at frame t",
            "violations",
            "0 none, 4 block teleport, 5 block spin, 6 block through agent, labelled at the"
                + " frame where visible"));
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("frames", s.frames());
    stats.put("bytes", s.bytes());
    stats.put("seconds", Math.round(s.seconds() * 100) / 100.0);
    stats.put("contact_fraction", Math.round(contactFrames * 10000.0 / s.frames()) / 10000.0);
    stats.put("episodes_ending_at_goal", s.episodesEndingAtGoal());
    stats.put("violation_labels", s.violationLabels());
    m.put("stats", stats);
    try {
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(out.resolve("manifest.json").toFile(), m);
    } catch (IOException e) {
      throw new IngestException("Error writing " + out.resolve("manifest.json") + ": " + e, e);
    }
  }

  private static final List<String> FILES =
      List.of("frames.npy", "actions.npy", "positions.npy", "doors.npy", "violations.npy");

  private void writeManifest(DatasetSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("episodes", episodes);
    m.put("steps", steps);
    m.put("seed", seed);
    m.put("width", config.width());
    m.put("height", config.height());
    m.put("channels", 3);
    m.put("policy", policyName);
    m.put("violation_rate", config.violationRate());
    Map<String, Object> world = new LinkedHashMap<>();
    world.put("wall_left", config.wallLeft());
    world.put("wall_right", config.wallRight());
    world.put("door_height", config.doorHeight());
    world.put("door_margin", config.doorMargin());
    world.put("agent_radius", config.agentRadius());
    world.put("max_step", config.maxStep());
    world.put("balls", config.balls());
    world.put("ball_radius", config.ballRadius());
    world.put("ball_speed", config.ballSpeed());
    world.put("violation_kinds", kindNames(config.violationKinds()));
    world.put("vanish_steps", config.vanishSteps());
    world.put("teleport_min_distance", config.teleportMinDistance());
    world.put(
        "colors_rgb",
        Map.of(
            "background", hex(TwoRoomsWorld.BACKGROUND_RGB),
            "wall", hex(TwoRoomsWorld.WALL_RGB),
            "agent", hex(TwoRoomsWorld.AGENT_RGB),
            "ball", hex(TwoRoomsWorld.BALL_RGB)));
    m.put("world", world);
    Map<String, Object> files = new LinkedHashMap<>();
    files.put(
        "frames", file("frames.npy", "uint8", episodes, steps, config.height(), config.width(), 3));
    files.put("actions", file("actions.npy", "float32", episodes, steps, 2));
    files.put("positions", file("positions.npy", "float32", episodes, steps, 2));
    files.put("doors", file("doors.npy", "float32", episodes, 2));
    files.put("violations", file("violations.npy", "int8", episodes, steps));
    m.put("files", files);
    m.put(
        "conventions",
        Map.of(
            "actions",
            "action t is applied after frame t, producing frame t+1; values in [-1,1],"
                + " times max_step pixels, shortened to at most max_step",
            "positions",
            "agent centre x, y in pixels at frame t (x right, y down)",
            "doors",
            "door top row, door bottom row (exclusive)",
            "violations",
            "0 none, 1 teleport, 2 vanish (onset and reappearance), 3 through-wall,"
                + " labelled at the frame where visible"));
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("frames", s.frames());
    stats.put("bytes", s.bytes());
    stats.put("seconds", Math.round(s.seconds() * 100) / 100.0);
    stats.put("episodes_ending_in_other_room", s.episodesEndingInOtherRoom());
    stats.put("other_room_fraction", Math.round(s.otherRoomFraction() * 10000) / 10000.0);
    stats.put(
        "violation_labels",
        Map.of(
            "teleport", s.teleports(), "vanish", s.vanishes(), "through_wall", s.throughWalls()));
    m.put("stats", stats);
    try {
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(out.resolve("manifest.json").toFile(), m);
    } catch (IOException e) {
      throw new IngestException("Error writing " + out.resolve("manifest.json") + ": " + e, e);
    }
  }

  private static Map<String, Object> file(String name, String dtype, long... shape) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("file", name);
    f.put("dtype", dtype);
    f.put("shape", shape);
    return f;
  }

  private static String hex(int rgb) {
    return String.format("#%06X", rgb);
  }

  /** Builds a {@link DatasetRecorder}; episodes, steps and out are required. */
  public static final class Builder extends EpisodesBuilder<Builder> {
    private WorldSpec config = WorldConfig.DEFAULT;
    private Path out;
    private Consumer<Progress> progress;

    private Builder() {
      super(-1, -1, 0);
    }

    /** The world: {@link WorldConfig} (Two-Rooms, the default) or {@link PushTConfig}. */
    public Builder world(WorldSpec config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    public Builder out(Path out) {
      this.out = out;
      return this;
    }

    /** Called about every 2 seconds and at the end. */
    public Builder progress(Consumer<Progress> progress) {
      this.progress = progress;
      return this;
    }

    public DatasetRecorder build() {
      if (episodes <= 0) {
        throw new IllegalArgumentException("episodes must be > 0, got " + episodes);
      }
      if (steps <= 0) {
        throw new IllegalArgumentException("steps must be > 0, got " + steps);
      }
      if (out == null) {
        throw new IllegalArgumentException("out (the output directory) is required");
      }
      config.requirePolicy(policy);
      return new DatasetRecorder(this);
    }
  }
}
