package io.foresight.runtime;

import java.util.Optional;

/**
 * How the job's operators keep the deployment they switched to in checkpointed (union list)
 * operator state: one line per subtask, {@code subtask TAB checkpoint TAB deployment fields}. On a
 * restore each subtask takes its own line; a subtask added by rescaling, the newest switch of any
 * subtask.
 */
public final class DeploymentState {
  private static final String SEP = "\t";

  private DeploymentState() {}

  /** The line for a subtask that switched to {@code d} at checkpoint {@code checkpointId}. */
  public static String encode(int subtask, long checkpointId, Deployment d) {
    if (d.dir().contains(SEP) || d.name().contains(SEP) || d.version().contains(SEP)) {
      throw new ModelRuntimeException(
          "deployment "
              + d.id()
              + ": tabs in the model's directory, name or version are not"
              + " supported; rename it");
    }
    return String.join(
        SEP,
        Integer.toString(subtask),
        Long.toString(checkpointId),
        d.id(),
        d.dir(),
        d.name(),
        d.version(),
        d.encoderSha256(),
        d.predictorSha256() == null ? "" : d.predictorSha256(),
        Long.toString(d.requestedAtUs()),
        Integer.toString(d.sourcePartition()),
        Long.toString(d.sourceOffset()));
  }

  /**
   * The deployment a restored subtask runs: its own line when there is one, else (a subtask added
   * by rescaling) the line with the newest checkpoint; empty when no subtask ever switched (the
   * configured model runs).
   */
  public static Optional<Deployment> choose(Iterable<String> lines, int subtask) {
    String[] own = null;
    String[] newest = null;
    for (String line : lines) {
      String[] f = line.split(SEP, -1);
      if (f.length != 11) {
        throw new ModelRuntimeException(
            "a checkpointed deployment has " + f.length + " fields, not 11: " + line);
      }
      if (Integer.parseInt(f[0]) == subtask) {
        own = f;
      }
      if (newest == null || Long.parseLong(f[1]) > Long.parseLong(newest[1])) {
        newest = f;
      }
    }
    String[] f = own != null ? own : newest;
    if (f == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Deployment(
            f[2],
            f[3],
            f[4],
            f[5],
            f[6],
            f[7].isEmpty() ? null : f[7],
            Long.parseLong(f[8]),
            Integer.parseInt(f[9]),
            Long.parseLong(f[10])));
  }
}
