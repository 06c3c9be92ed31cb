package io.foresight.memory.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryJsonTest {
  private static final ObjectMapper M = MemoryJson.mapper();
  private static final String SHA = "ab".repeat(32);

  @Test
  void shouldLeaveOutWhatAnAnswerDoesNotCarry() throws Exception {
    State s =
        new State(
            "r1",
            3,
            30,
            new ModelId("m", "1", SHA),
            new int[] {2},
            null,
            List.of(new Reading("proprio", 29, new double[] {0.5})),
            null,
            null,
            null);
    assertThat(M.writeValueAsString(s))
        .isEqualTo(
            "{\"stream\":\"r1\",\"sequence\":3,\"timeUs\":30,\"model\":{\"name\":\"m\","
                + "\"version\":\"1\",\"sha256\":\""
                + SHA
                + "\"},\"shape\":[2],\"readings\":[{\"kind\":\"proprio\",\"timeUs\":29,"
                + "\"values\":[0.5]}]}");
    assertThat(M.writeValueAsString(new StreamList(List.of(), false, List.of())))
        .isEqualTo("{\"streams\":[]}");
    assertThat(M.writeValueAsString(new StreamList(List.of(), true, List.of("u: down"))))
        .isEqualTo("{\"streams\":[],\"partial\":true,\"errors\":[\"u: down\"]}");
    assertThat(M.writeValueAsString(new StatePage("r1", List.of(), null)))
        .isEqualTo("{\"stream\":\"r1\",\"items\":[],\"nextCursor\":null}");
  }

  @Test
  void shouldReadAnswersWithFieldsItDoesNotKnow() throws Exception {
    Health h =
        M.readValue(
            "{\"status\":\"UP\",\"state\":\"RUNNING\",\"partitions\":3,\"latentsStored\":7,"
                + "\"newField\":1}",
            Health.class);
    assertThat(h).isEqualTo(new Health("UP", "RUNNING", 3, 7));
    assertThat(h.up()).isTrue();
  }

  @Test
  void shouldWriteOnlyTheGivenFieldsOfANearestRequest() throws Exception {
    assertThat(M.writeValueAsString(NearestRequest.of(new float[] {1, 2}).withK(3)))
        .isEqualTo("{\"latent\":[1.0,2.0],\"k\":3}");
  }

  @Test
  void shouldRefuseLatentsThatAreNotFiniteNumbers() {
    assertThatThrownBy(() -> M.readValue("{\"latent\": [1, \"2\"]}", NearestRequest.class))
        .hasMessageContaining("latent[1] is \"2\"; latent must hold numbers only");
    assertThatThrownBy(() -> M.readValue("{\"latent\": [1, 3e39]}", NearestRequest.class))
        .hasMessageContaining("latent[1] is not a finite float32");
    assertThatThrownBy(() -> M.readValue("{\"latent\": 5}", NearestRequest.class))
        .hasMessageContaining("latent must be a JSON array of numbers");
  }

  @Test
  void shouldValidateAModelId() {
    assertThat(new ModelId("m", "1", SHA.toUpperCase()).sha256()).isEqualTo(SHA);
    assertThatThrownBy(() -> new ModelId("m", "1", "xyz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 hex digits");
  }
}
