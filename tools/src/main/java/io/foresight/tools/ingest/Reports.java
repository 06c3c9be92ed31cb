package io.foresight.tools.ingest;

import io.foresight.ingest.IngestReport;
import java.io.PrintWriter;

/** Prints an {@link IngestReport} and turns it into an exit code. */
final class Reports {
  private Reports() {}

  /** Prints the summary (stdout) and every problem (stderr); 0 if clean, 1 otherwise. */
  static int finish(IngestReport r, PrintWriter out, PrintWriter err) {
    out.println(r.summary());
    for (String n : r.notes()) {
      out.println("  " + n);
    }
    if (r.skipped() > 0) {
      err.println("skipped " + r.skipped() + " input(s):");
      for (String p : r.problems()) {
        err.println("  " + p);
      }
      if (r.problems().size() < r.skipped()) {
        err.println("  ... and " + (r.skipped() - r.problems().size()) + " more");
      }
    }
    out.flush();
    err.flush();
    return r.clean() ? 0 : 1;
  }
}
