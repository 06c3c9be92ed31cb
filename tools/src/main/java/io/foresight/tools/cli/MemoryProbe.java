package io.foresight.tools.cli;

import io.foresight.memory.api.MemoryApiException;
import io.foresight.memory.api.MemoryClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the memory store's stream list through its typed client, for the demo report. */
final class MemoryProbe {
  private MemoryProbe() {}

  static Map<String, Object> summary(String baseUrl) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("url", baseUrl);
    try {
      out.put("streams", MemoryClient.of(baseUrl).withTimeout(Duration.ofSeconds(10)).streams());
      out.put("status", 200);
    } catch (MemoryApiException e) {
      if (e.status() != MemoryApiException.NO_ANSWER) {
        out.put("status", e.status());
      }
      out.put("error", e.getMessage());
    }
    return out;
  }
}
