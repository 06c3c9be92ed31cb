package io.foresight.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.BiFunction;

/**
 * Writes a run's report record as JSON, to a file (creating its folder) or as text, with errors
 * that say which report and where, thrown as the calling module's exception.
 *
 * <pre>{@code
 * JsonReports.write(JSON, report, file, "the robot statistics", IngestException::new);
 * }</pre>
 */
public final class JsonReports {
  private JsonReports() {}

  /**
   * Writes {@code report} to {@code file}: to a temporary file beside it, then moved over it, so a
   * reader (or a report rewritten while a run goes on) never sees a half-written file.
   *
   * @param what the report in messages, e.g. "the bench report"
   * @param error makes the exception thrown on an I/O error from its message and cause
   */
  public static void write(
      ObjectMapper json,
      Object report,
      Path file,
      String what,
      BiFunction<String, Throwable, ? extends RuntimeException> error) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      json.writeValue(tmp.toFile(), report);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw error.apply("Error writing " + what + " to " + file + ": " + e, e);
    }
  }

  /** {@code report} as JSON text; see {@link #write}. */
  public static String text(
      ObjectMapper json,
      Object report,
      String what,
      BiFunction<String, Throwable, ? extends RuntimeException> error) {
    try {
      return json.writeValueAsString(report);
    } catch (IOException e) {
      throw error.apply("Error writing " + what + " as JSON: " + e, e);
    }
  }
}
