package io.foresight.tools.demo;

import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Points the command line's log file into a work directory, so that the console keeps the command's
 * own lines: the bundled {@code log4j2.properties} sends every log to that file and only
 * Foresight's errors to the console ({@code verbose}: everything from INFO to both).
 *
 * <pre>{@code
 * Path log = LogFiles.into(workDir.resolve("logs/foresight.log"), verbose);
 * }</pre>
 *
 * <p>A configuration given with {@code -Dlog4j2.configurationFile} (the Docker image's, to the
 * console) is left as it is.
 */
public final class LogFiles {
  /** The system property with the log file the bundled configuration writes. */
  public static final String FILE_PROPERTY = "foresight.log.file";

  /** The system property with the least level of Foresight's own logs shown on the console. */
  public static final String CONSOLE_PROPERTY = "foresight.log.console";

  /** The system property with the least level of the libraries' logs shown on the console. */
  public static final String LIBRARIES_CONSOLE_PROPERTY = "foresight.log.console.libraries";

  private LogFiles() {}

  /**
   * Writes the log to {@code file} from now on (created on the first line) and shows INFO on the
   * console too when {@code verbose}; returns {@code file}.
   */
  public static Path into(Path file, boolean verbose) {
    Path abs = file.toAbsolutePath();
    System.setProperty(FILE_PROPERTY, abs.toString());
    System.setProperty(CONSOLE_PROPERTY, verbose ? "info" : "error");
    System.setProperty(LIBRARIES_CONSOLE_PROPERTY, verbose ? "info" : "fatal");
    if (System.getProperty("log4j2.configurationFile") == null
        && LogManager.getContext(false) instanceof LoggerContext ctx) {
      ctx.reconfigure();
    }
    return abs;
  }

  /** Whether the bundled configuration is in use (not one given on the command line). */
  public static boolean bundled() {
    return System.getProperty("log4j2.configurationFile") == null;
  }
}
