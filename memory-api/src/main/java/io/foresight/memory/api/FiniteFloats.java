package io.foresight.memory.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads a JSON array of numbers as a {@code float[]} of finite float32 values, refusing strings,
 * nulls and values beyond float32 with a message that names the field and the index (where
 * Jackson's own reader would coerce {@code "1"} and let {@code 1e40} become infinity).
 */
public final class FiniteFloats extends JsonDeserializer<float[]> {
  @Override
  public float[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    String field = p.currentName() == null ? "value" : p.currentName();
    if (!p.isExpectedStartArrayToken()) {
      throw new InvalidFormatException(
          p, field + " must be a JSON array of numbers", p.getText(), float[].class);
    }
    float[] out = new float[16];
    int n = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
        String shown = t == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\"" : p.getText();
        throw new InvalidFormatException(
            p,
            field + "[" + n + "] is " + shown + "; " + field + " must hold numbers only",
            p.getText(),
            float.class);
      }
      float v = (float) p.getDoubleValue();
      if (!Float.isFinite(v)) {
        throw new InvalidFormatException(
            p, field + "[" + n + "] is not a finite float32", p.getText(), float.class);
      }
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] = v;
    }
    return Arrays.copyOf(out, n);
  }
}
