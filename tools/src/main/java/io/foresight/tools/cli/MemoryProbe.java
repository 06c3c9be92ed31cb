package io.foresight.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the memory store's stream list over its HTTP API, for the demo report. */
final class MemoryProbe {
  private MemoryProbe() {}

  static Map<String, Object> summary(String baseUrl) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("url", baseUrl);
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/streams"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      out.put("status", r.statusCode());
      JsonNode body = new ObjectMapper().readTree(r.body());
      out.put("streams", body);
    } catch (Exception e) {
      out.put("error", e.toString());
    }
    return out;
  }
}
