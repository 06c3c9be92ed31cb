package io.foresight.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deployment lifecycle of one subtask, without Flink: admit, load, stage, switch, restore. */
class StagedDeploymentTest {
  private static final String SHA_A = "aa".repeat(32);
  private static final String SHA_B = "bb".repeat(32);
  private static final String SHA_C = "cc".repeat(32);

  private final List<Deployment> loads = new ArrayList<>();
  private final List<ShaModel> made = new ArrayList<>();
  private long now;

  private StagedDeployment.Builder<ShaModel> builder() {
    return StagedDeployment.<ShaModel>builder()
        .stage("encoder", 1)
        .loader(
            d -> {
              loads.add(d);
              if (d.dir().contains("broken")) {
                throw new ModelRuntimeException("deployment " + d.id() + ": broken; fix it");
              }
              ShaModel m = new ShaModel(d.encoderSha256());
              made.add(m);
              return m;
            })
        .modelSha256(m -> m.sha256)
        .clock(() -> now);
  }

  private StagedDeployment<ShaModel> started(ShaModel configured) {
    StagedDeployment<ShaModel> s = builder().build();
    assertThat(s.start(() -> configured)).isSameAs(configured);
    return s;
  }

  private static Deployment deployment(String id, String dir, String sha) {
    return new Deployment(id, dir, "test", "2", sha.toUpperCase(), null, 0, 0, 7);
  }

  @Test
  void shouldStageALoadedModelAndSwitchAtTheNextBarrierOnly() {
    ShaModel a = new ShaModel(SHA_A);
    StagedDeployment<ShaModel> s = started(a);
    assertThat(s.offer(deployment("d-1", "/m/b", SHA_B))).isEmpty();
    assertThat(s.model()).as("not before the barrier").isSameAs(a);
    assertThat(s.staged()).map(Deployment::id).hasValue("d-1");
    assertThat(s.barrier(5)).isTrue();
    assertThat(s.model().sha256).isEqualTo(SHA_B.toUpperCase());
    assertThat(s.deployment()).map(Deployment::id).hasValue("d-1");
    assertThat(s.staged()).isEmpty();
    assertThat(a.closed).as("the old model is retired at the switch").isTrue();
    assertThat(s.barrier(6)).as("nothing staged, nothing switches").isFalse();
  }

  @Test
  void shouldRecordTheSwitchAndItsCheckpointInTheSnapshot() {
    StagedDeployment<ShaModel> s = started(new ShaModel(SHA_A));
    assertThat(s.snapshot()).as("the configured model is not recorded").isEmpty();
    Deployment b = deployment("d-1", "/m/b", SHA_B);
    s.offer(b);
    assertThat(s.snapshot()).as("a staged model is not recorded").isEmpty();
    s.barrier(5);
    assertThat(s.snapshot()).containsExactly(DeploymentState.encode(1, 5, b));
  }

  @Test
  void shouldIgnoreADeploymentOfTheRunningModelAndDiscardAStagedOne() {
    StagedDeployment<ShaModel> s = started(new ShaModel(SHA_A));
    s.offer(deployment("d-1", "/m/b", SHA_B));
    ShaModel b = made.get(0);
    assertThat(s.offer(deployment("d-2", "/m/a", SHA_A))).isEmpty();
    assertThat(s.staged()).isEmpty();
    assertThat(b.closed).isTrue();
    assertThat(s.barrier(5)).isFalse();
    assertThat(s.model().sha256).isEqualTo(SHA_A);
    assertThat(loads).extracting(Deployment::id).containsExactly("d-1");
  }

  @Test
  void shouldNotLoadTheStagedModelAgain() {
    StagedDeployment<ShaModel> s = started(new ShaModel(SHA_A));
    s.offer(deployment("d-1", "/m/b", SHA_B));
    assertThat(s.offer(deployment("d-2", "/m/b2", SHA_B))).isEmpty();
    assertThat(loads).extracting(Deployment::id).containsExactly("d-1");
    s.barrier(5);
    assertThat(s.deployment()).map(Deployment::id).as("the newer record").hasValue("d-2");
  }

  @Test
  void shouldReplaceAndRetireAStagedModelWithANewerOne() {
    List<ShaModel> retired = new ArrayList<>();
    StagedDeployment<ShaModel> s = builder().retire(retired::add).build();
    ShaModel a = s.start(() -> new ShaModel(SHA_A));
    s.offer(deployment("d-1", "/m/b", SHA_B));
    s.offer(deployment("d-2", "/m/c", SHA_C));
    assertThat(retired).extracting(m -> m.sha256).containsExactly(SHA_B.toUpperCase());
    s.barrier(5);
    assertThat(s.model().sha256).isEqualTo(SHA_C.toUpperCase());
    assertThat(retired).hasSize(2).last().isSameAs(a);
    assertThat(a.closed).as("retire(...) replaces closing").isFalse();
  }

  @Test
  void shouldRefuseWhatTheLoaderThrowsWithItsMessageAndKeepItsModels() {
    StagedDeployment<ShaModel> s = started(new ShaModel(SHA_A));
    s.offer(deployment("d-1", "/m/b", SHA_B));
    assertThat(s.offer(deployment("d-2", "/m/broken", SHA_C)))
        .hasValueSatisfying(
            r -> {
              assertThat(r.stage()).isEqualTo("encoder subtask 1");
              assertThat(r.deployment().id()).isEqualTo("d-2");
              assertThat(r.reason()).isEqualTo("deployment d-2: broken; fix it");
            });
    assertThat(s.staged()).map(Deployment::id).as("the staged model stays").hasValue("d-1");
    s.barrier(5);
    assertThat(s.model().sha256).isEqualTo(SHA_B.toUpperCase());
  }

  @Test
  void shouldRefuseWhileCheckpointsFailAndLoadNothing() {
    StagedDeployment<ShaModel> s = started(new ShaModel(SHA_A));
    s.barrier(11);
    s.completed(11);
    s.barrier(12);
    s.aborted(12);
    assertThat(s.offer(deployment("d-1", "/m/b", SHA_B)))
        .hasValueSatisfying(
            r ->
                assertThat(r.reason())
                    .startsWith("checkpoint 12 was aborted and none has completed since")
                    .contains("encoder subtask 1 keeps its model")
                    .endsWith("then deploy again"));
    assertThat(loads).isEmpty();
    assertThat(s.offer(deployment("d-2", "/m/a", SHA_A)))
        .as("a deployment of the running model is no switch: nothing to refuse")
        .isEmpty();
    s.barrier(13);
    s.completed(13);
    assertThat(s.offer(deployment("d-3", "/m/b", SHA_B))).isEmpty();
    assertThat(loads).extracting(Deployment::id).containsExactly("d-3");
  }

  @Test
  void shouldRefuseWhenNoCheckpointCompletedForThreeIntervals() {
    StagedDeployment<ShaModel> s = started(new ShaModel(SHA_A));
    now = 0;
    s.barrier(1);
    s.completed(1);
    now = 5_000;
    s.barrier(2);
    now = 60_000;
    assertThat(s.offer(deployment("d-1", "/m/b", SHA_B)))
        .hasValueSatisfying(
            r -> assertThat(r.reason()).startsWith("no checkpoint has completed for 60.0 s"));
  }

  @Test
  void shouldKeepASwitchWhoseCheckpointAbortsAndRecordItInTheNext() {
    StagedDeployment<ShaModel> s = started(new ShaModel(SHA_A));
    Deployment b = deployment("d-1", "/m/b", SHA_B);
    s.offer(b);
    s.barrier(1);
    s.aborted(1);
    assertThat(s.model().sha256).isEqualTo(SHA_B.toUpperCase());
    s.barrier(2);
    assertThat(s.snapshot()).containsExactly(DeploymentState.encode(1, 1, b));
  }

  @Test
  void shouldKeepAStagedModelWhenTheAbortComesBeforeItsBarrier() {
    Deployment b = deployment("d-1", "/m/b", SHA_B);
    StagedDeployment<ShaModel> s = started(new ShaModel(SHA_A));
    s.offer(b);
    s.aborted(1); // Flink skips the barrier of checkpoint 1 in this subtask
    assertThat(s.staged()).hasValue(b);
    assertThat(s.barrier(2)).isTrue();
    assertThat(s.model().sha256).isEqualTo(SHA_B.toUpperCase());
  }

  @Test
  void shouldStartWithTheRestoredDeploymentOfThisSubtask() {
    Deployment own = deployment("d-own", "/m/b", SHA_B);
    Deployment other = deployment("d-other", "/m/c", SHA_C);
    StagedDeployment<ShaModel> s = builder().build();
    s.restore(List.of(DeploymentState.encode(0, 9, other), DeploymentState.encode(1, 4, own)));
    ShaModel configured = new ShaModel(SHA_A);
    assertThat(s.start(() -> configured).sha256).isEqualTo(SHA_B.toUpperCase());
    assertThat(s.deployment()).hasValue(own);
    assertThat(s.snapshot())
        .as("recorded again (the checkpoint it switched at is not kept across a restore)")
        .containsExactly(DeploymentState.encode(1, 0, own));
  }

  @Test
  void shouldRunTheConfiguredModelWhenTheRestoredDeploymentNoLongerLoads() {
    StagedDeployment<ShaModel> s = builder().build();
    s.restore(List.of(DeploymentState.encode(1, 4, deployment("d-1", "/m/broken", SHA_B))));
    ShaModel configured = new ShaModel(SHA_A);
    assertThat(s.start(() -> configured)).isSameAs(configured);
    assertThat(s.deployment()).isEmpty();
    assertThat(s.snapshot()).isEmpty();
  }

  @Test
  void shouldRunTheConfiguredModelWhenNothingWasRestored() {
    StagedDeployment<ShaModel> s = builder().build();
    s.restore(List.of());
    ShaModel configured = new ShaModel(SHA_A);
    assertThat(s.start(() -> configured)).isSameAs(configured);
    assertThat(loads).isEmpty();
  }

  @Test
  void shouldCloseTheRunningAndTheStagedModel() {
    ShaModel a = new ShaModel(SHA_A);
    StagedDeployment<ShaModel> s = started(a);
    s.offer(deployment("d-1", "/m/b", SHA_B));
    s.close();
    assertThat(a.closed).isTrue();
    assertThat(made).singleElement().satisfies(b -> assertThat(b.closed).isTrue());
    assertThat(s.model()).isNull();
    assertThat(s.staged()).isEmpty();
  }

  @Test
  void shouldSayWhatIsMissing() {
    assertThatThrownBy(() -> StagedDeployment.<ShaModel>builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stage(role, subtask)");
    assertThatThrownBy(() -> StagedDeployment.<ShaModel>builder().stage("encoder", 0).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("loader(...)");
  }
}
