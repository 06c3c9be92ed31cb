package io.foresight.sim.robot;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.foresight.ingest.IngestException;
import io.foresight.ingest.JsonReports;
import io.foresight.ingest.PublisherStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What a robot process writes at the end of its run ({@code foresight robot --stats-json FILE}):
 * the fleet's totals, the frame-to-plan latency and one line per robot, as JSON with snake_case
 * keys. {@code foresight bench streams} reads it back with {@link #read}.
 *
 * <pre>{@code
 * FleetReport.of(fleet.stats(), fps, warmupSteps).write(Path.of("robots.json"));
 * FleetReport r = FleetReport.read(Path.of("robots.json"));
 * }</pre>
 *
 * @param robots number of robots
 * @param fps control steps per second per robot
 * @param phaseGroups phase groups the fleet stepped in (1 = all at once)
 * @param seconds seconds from open to the snapshot
 * @param ticks full rounds stepped
 * @param framesPublished frames published (frame 0 of each robot plus one per step)
 * @param steps control steps
 * @param plannedSteps steps on a fresh plan
 * @param warmupSteps steps per robot at the start left out of the next three figures
 * @param stepsAfterWarmup steps after the warm-up
 * @param freshSteps of those, steps on a plan within the lag limit
 * @param freshStepFraction freshSteps / stepsAfterWarmup (null before any)
 * @param plansReceived plans for the robots' streams
 * @param plansIgnored of those, plans not usable (another goal, bad shape)
 * @param plansSkipped sum of the plans' {@code stats.skipped}
 * @param plansConsumed plan records read (any stream)
 * @param badPlans plan records that did not decode
 * @param goals goals attempted (reached or timed out), reached, timed out, still active
 * @param frameToPlanMs plan received minus its frame's capture time, after the warm-up
 * @param publisher records sent, acked, failed by the publisher (null if unknown)
 * @param perRobot one entry per robot, in stream id order
 * @param processCpuS CPU seconds (user + system) of the robots' process during the run, when the
 *     command line measured it (null otherwise)
 */
public record FleetReport(
    int robots,
    double fps,
    int phaseGroups,
    double seconds,
    long ticks,
    long framesPublished,
    long steps,
    long plannedSteps,
    long warmupSteps,
    long stepsAfterWarmup,
    long freshSteps,
    Double freshStepFraction,
    long plansReceived,
    long plansIgnored,
    long plansSkipped,
    long plansConsumed,
    long badPlans,
    Goals goals,
    Latency frameToPlanMs,
    PublisherStats publisher,
    List<Robot> perRobot,
    Double processCpuS) {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public FleetReport {
    perRobot = perRobot == null ? List.of() : List.copyOf(perRobot);
  }

  /**
   * Goals of a run.
   *
   * @param attempted goals that ended: reached or timed out (still active ones are not counted)
   * @param reached goals reached
   * @param timedOut goals given up after the timeout
   * @param active goals still active at the end
   * @param successRate reached / attempted (null when none ended)
   */
  public record Goals(
      long attempted, long reached, long timedOut, long active, Double successRate) {

    /** Goals with {@code attempted = reached + timedOut}. */
    public static Goals of(long reached, long timedOut, long active) {
      long attempted = reached + timedOut;
      return new Goals(
          attempted,
          reached,
          timedOut,
          active,
          attempted == 0 ? null : (double) reached / attempted);
    }
  }

  /**
   * Latency percentiles in milliseconds.
   *
   * @param count samples
   * @param p50 median (null without samples)
   * @param p95 95th percentile
   * @param p99 99th percentile
   * @param max largest
   * @param mean mean
   * @param histogramUs the HdrHistogram of the samples in microseconds, compressed and Base64
   *     encoded ({@link #histogram()} decodes it), so runs can be merged
   */
  public record Latency(
      long count, Double p50, Double p95, Double p99, Double max, Double mean, String histogramUs) {

    /** The percentiles of a histogram of microseconds. */
    public static Latency of(Histogram us) {
      if (us.getTotalCount() == 0) {
        return new Latency(0, null, null, null, null, null, encode(us));
      }
      return new Latency(
          us.getTotalCount(),
          ms(us.getValueAtPercentile(50)),
          ms(us.getValueAtPercentile(95)),
          ms(us.getValueAtPercentile(99)),
          ms(us.getMaxValue()),
          Math.round(us.getMean() / 10.0) / 100.0,
          encode(us));
    }

    /** The histogram (microseconds) this was made from. */
    public Histogram histogram() {
      if (histogramUs == null || histogramUs.isEmpty()) {
        return RobotStats.newLatencyHistogram();
      }
      try {
        return Histogram.decodeFromCompressedByteBuffer(
            ByteBuffer.wrap(Base64.getDecoder().decode(histogramUs)), 0);
      } catch (java.util.zip.DataFormatException | IllegalArgumentException e) {
        throw new IngestException("not an encoded HdrHistogram: " + e.getMessage(), e);
      }
    }

    private static double ms(long us) {
      return Math.round(us / 10.0) / 100.0;
    }

    private static String encode(Histogram h) {
      ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
      int n = h.encodeIntoCompressedByteBuffer(buf);
      byte[] bytes = new byte[n];
      buf.flip();
      buf.get(bytes);
      return Base64.getEncoder().encodeToString(bytes);
    }
  }

  /**
   * One robot.
   *
   * @param streamId its stream id
   * @param framesPublished frames published: sequences 0 .. framesPublished - 1
   * @param steps control steps
   * @param freshSteps steps on a fresh plan after the warm-up
   * @param plansReceived plans for its stream
   * @param goalsReached goals reached
   * @param goalsTimedOut goals given up
   */
  public record Robot(
      String streamId,
      long framesPublished,
      long steps,
      long freshSteps,
      long plansReceived,
      long goalsReached,
      long goalsTimedOut) {}

  /** The report of a fleet's statistics. */
  public static FleetReport of(FleetStats s, double fps, int phaseGroups, long warmupSteps) {
    List<Robot> per = new ArrayList<>();
    long active = 0;
    long ignored = 0;
    for (RobotStats r : s.robots()) {
      active += r.goalsActive();
      ignored += r.plansIgnored();
      per.add(
          new Robot(
              r.streamId(),
              r.framesPublished(),
              r.steps(),
              r.plannedStepsAfterWarmup(),
              r.plansReceived() + r.plansIgnored(),
              r.goalsReached(),
              r.goalsFailed()));
    }
    double fresh = s.freshStepFraction();
    return new FleetReport(
        s.robots().size(),
        fps,
        phaseGroups,
        Math.round(s.seconds() * 1000) / 1000.0,
        s.ticks(),
        s.framesPublished(),
        s.steps(),
        s.plannedSteps(),
        warmupSteps,
        s.stepsAfterWarmup(),
        s.plannedStepsAfterWarmup(),
        Double.isNaN(fresh) ? null : fresh,
        s.plansReceived(),
        ignored,
        s.plansSkipped(),
        s.plansConsumed(),
        s.badPlans(),
        Goals.of(s.goalsReached(), s.goalsFailed(), active),
        Latency.of(s.planLatencyUs()),
        s.publisher(),
        per,
        null);
  }

  /** This report with the process's CPU seconds during the run. */
  public FleetReport withProcessCpuS(double seconds) {
    return new FleetReport(
        robots,
        fps,
        phaseGroups,
        this.seconds,
        ticks,
        framesPublished,
        steps,
        plannedSteps,
        warmupSteps,
        stepsAfterWarmup,
        freshSteps,
        freshStepFraction,
        plansReceived,
        plansIgnored,
        plansSkipped,
        plansConsumed,
        badPlans,
        goals,
        frameToPlanMs,
        publisher,
        perRobot,
        Math.round(seconds * 1000) / 1000.0);
  }

  /** Writes this report as JSON. */
  public void write(Path file) {
    JsonReports.write(JSON, this, file, "the robot statistics", IngestException::new);
  }

  /** This report as JSON text. */
  public String toJson() {
    return JsonReports.text(JSON, this, "the robot statistics", IngestException::new);
  }

  /** Reads a report written by {@link #write}. */
  public static FleetReport read(Path file) {
    try {
      return JSON.readValue(file.toFile(), FleetReport.class);
    } catch (IOException e) {
      throw new IngestException("Error reading the robot statistics in " + file + ": " + e, e);
    }
  }
}
