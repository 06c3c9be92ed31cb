package io.foresight.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The entry point for {@code flink run}: the job reads its options from the environment (the same
 * keys as everywhere, e.g. {@code KAFKA_BOOTSTRAP_SERVERS}, {@code ENCODER_DEVICE}) and from {@code
 * key=value} arguments.
 *
 * <pre>{@code
 * flink run -c io.foresight.pipeline.JobMain foresight-job.jar kafka.bootstrap.servers=kafka:9092
 * }</pre>
 */
public final class JobMain {
  private JobMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new PipelineException("arguments are key=value option pairs; got '" + a + "'");
      }
      overrides.put(a.substring(0, eq).replaceFirst("^--", ""), a.substring(eq + 1));
    }
    JobConfig cfg = JobConfig.load(null, System.getenv(), overrides);
    StreamExecutionEnvironment env = JobRunner.environment(cfg, new Configuration());
    new ForesightJob(ForesightJob.kafkaSources(cfg), ForesightJob.kafkaSinks(cfg), cfg).build(env);
    env.execute("foresight");
  }
}
