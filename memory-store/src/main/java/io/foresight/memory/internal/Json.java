package io.foresight.memory.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foresight.memory.ModelId;
import io.foresight.memory.Reading;
import io.foresight.memory.StoredLatent;
import io.foresight.memory.StreamSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON forms of the query API's answers (documented in docs/memory-api.md). */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static byte[] write(Object o) {
    try {
      return MAPPER.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(byte[] body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("the request body is not valid JSON: " + e.getMessage());
    }
  }

  static Map<String, Object> model(ModelId m) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("name", m.name());
    o.put("version", m.version());
    o.put("sha256", m.sha256());
    return o;
  }

  static Map<String, Object> summary(StreamSummary s, boolean withStats) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("stream", s.stream());
    o.put("count", s.count());
    o.put("firstTimeUs", s.firstTimeUs());
    o.put("lastTimeUs", s.lastTimeUs());
    List<Object> models = new ArrayList<>();
    for (StreamSummary.ModelSummary m : s.models()) {
      Map<String, Object> mo = new LinkedHashMap<>();
      mo.put("model", model(m.model()));
      mo.put("shape", m.shape());
      mo.put("count", m.count());
      mo.put("firstTimeUs", m.firstTimeUs());
      mo.put("lastTimeUs", m.lastTimeUs());
      mo.put("lastSequence", m.lastSequence());
      if (withStats) {
        mo.put("lastLatent", m.lastLatent());
        mo.put("mean", m.mean());
        mo.put("variance", m.variance());
      }
      models.add(mo);
    }
    o.put("models", models);
    return o;
  }

  static Map<String, Object> state(MemoryQueries.StateView v, boolean withLatent) {
    Map<String, Object> o = state(v.state(), withLatent);
    ValueCodec.Signals s = v.signals();
    if (s.hasSurprise()) {
      o.put("surprise", s.surprise());
      if (!Double.isNaN(s.surpriseNormalized())) {
        o.put("surpriseNormalized", s.surpriseNormalized());
      }
    }
    if (s.hasEvent()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("score", s.eventScore());
      e.put("normalizedScore", s.eventNormalized());
      e.put("threshold", s.eventThreshold());
      o.put("surpriseEvent", e);
    }
    return o;
  }

  static Map<String, Object> state(StoredLatent s, boolean withLatent) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("stream", s.stream());
    o.put("sequence", s.sequence());
    o.put("timeUs", s.timeUs());
    o.put("model", model(s.model()));
    o.put("shape", s.shape());
    if (withLatent) {
      o.put("latent", s.latent());
    }
    List<Object> readings = new ArrayList<>();
    for (Reading r : s.readings()) {
      Map<String, Object> ro = new LinkedHashMap<>();
      ro.put("kind", r.kind());
      ro.put("timeUs", r.timeUs());
      ro.put("values", r.values());
      readings.add(ro);
    }
    o.put("readings", readings);
    return o;
  }

  static Map<String, Object> action(ValueCodec.StoredAction a, String matchedBy) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("timeUs", a.timeUs());
    o.put("values", a.values());
    o.put("source", io.foresight.schemas.avro.ActionSource.values()[a.source()].name());
    if (a.frameSequence() != null) {
      o.put("frameSequence", a.frameSequence());
    }
    if (a.planId() != null) {
      o.put("planId", a.planId());
    }
    o.put("matchedBy", matchedBy);
    return o;
  }

  static Map<String, Object> hit(VectorIndex.Hit h) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("stream", h.stream());
    o.put("sequence", h.sequence());
    o.put("timeUs", h.timeUs());
    o.put("distance", h.distance());
    return o;
  }

  static float[] floats(JsonNode n, String field) {
    if (n == null || !n.isArray()) {
      throw new IllegalArgumentException(field + " must be a JSON array of numbers");
    }
    float[] out = new float[n.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode e = n.get(i);
      if (!e.isNumber()) {
        throw new IllegalArgumentException(
            field + "[" + i + "] is " + e + "; " + field + " must hold numbers only");
      }
      out[i] = (float) e.asDouble();
      if (!Float.isFinite(out[i])) {
        throw new IllegalArgumentException(field + "[" + i + "] is not a finite float32");
      }
    }
    return out;
  }
}
