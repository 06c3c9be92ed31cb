package io.foresight.sim.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ExplorationPolicyTest {

  private static double otherRoomFraction(ExplorationPolicy policy, int episodes, int steps) {
    TwoRoomsWorld w = new TwoRoomsWorld(WorldConfig.DEFAULT);
    Random rng = new Random(3);
    float[] a = new float[2];
    int other = 0;
    for (int e = 0; e < episodes; e++) {
      w.reset(rng.nextLong());
      policy.reset(w, rng);
      Room start = w.agentRoom();
      for (int t = 0; t < steps; t++) {
        policy.act(w, a);
        assertThat(a[0]).isBetween(-1f, 1f);
        assertThat(a[1]).isBetween(-1f, 1f);
        w.step(a[0], a[1]);
      }
      if (w.agentRoom() != start) {
        other++;
      }
    }
    return other / (double) episodes;
  }

  @Test
  void shouldSteerMostDoorEpisodesIntoTheOtherRoom() {
    assertThat(otherRoomFraction(ExplorationPolicy.throughDoor(), 300, 40)).isGreaterThan(0.8);
  }

  @Test
  void shouldCrossRarelyWithARandomWalk() {
    assertThat(otherRoomFraction(ExplorationPolicy.randomWalk(), 300, 40)).isLessThan(0.3);
  }

  @Test
  void shouldEndAboutHalfOfTheMixedEpisodesInTheOtherRoom() {
    assertThat(otherRoomFraction(ExplorationPolicy.mixed(), 500, 40)).isBetween(0.3, 0.6);
  }

  @Test
  void shouldNameThePolicies() {
    assertThat(ExplorationPolicy.named("MIXED").name()).isEqualTo("mixed");
    assertThat(ExplorationPolicy.named("random").name()).isEqualTo("random");
    assertThat(ExplorationPolicy.named("door").name()).isEqualTo("door");
    assertThatThrownBy(() -> ExplorationPolicy.named("greedy"))
        .hasMessageContaining("use mixed, random or door");
  }
}
