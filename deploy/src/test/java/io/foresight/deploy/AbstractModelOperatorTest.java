package io.foresight.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.foresight.runtime.Deployment;
import io.foresight.runtime.ModelRuntimeException;
import io.foresight.runtime.RefusedDeployment;
import io.foresight.runtime.ShaModel;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Flink side of a deployment, on a model that is only its encoder sha256. */
class AbstractModelOperatorTest {
  private static final String SHA_A = "aa".repeat(32);
  private static final String SHA_B = "bb".repeat(32);
  private static final OutputTag<RefusedDeployment> REFUSED =
      new OutputTag<>("refused", TypeInformation.of(RefusedDeployment.class));

  /** Tags every input with the sha256 of the model it ran with; counts the switches. */
  static final class TaggingOperator extends AbstractModelOperator<String, String, ShaModel> {
    private static final long serialVersionUID = 1L;
    private transient ShaModel model;
    private transient int switches;

    TaggingOperator() {
      super("tagger", "tagger-deployment", REFUSED);
    }

    @Override
    public void open() throws Exception {
      super.open();
      model = startModel(() -> new ShaModel(SHA_A));
    }

    @Override
    protected ShaModel load(Deployment d) {
      if (d.dir().contains("broken")) {
        throw new ModelRuntimeException("deployment " + d.id() + " is broken; fix it");
      }
      return new ShaModel(d.encoderSha256());
    }

    @Override
    protected String modelSha256(ShaModel m) {
      return m.sha256;
    }

    @Override
    protected void switched(ShaModel m, long checkpointId) {
      model = m;
      switches++;
    }

    @Override
    public void processElement(StreamRecord<String> element) {
      output.collect(element.replace(element.getValue() + "@" + model.sha256.substring(0, 2)));
    }

    @Override
    public void close() throws Exception {
      closeModels();
      super.close();
    }
  }

  private TwoInputStreamOperatorTestHarness<String, Deployment, String> harness = harness(null);

  /** A harness of a fresh operator, restored from {@code restore} when given, not yet open. */
  private static TwoInputStreamOperatorTestHarness<String, Deployment, String> harness(
      OperatorSubtaskState restore) {
    try {
      var h = new TwoInputStreamOperatorTestHarness<>(new TaggingOperator());
      if (restore != null) {
        h.initializeState(restore);
      }
      return h;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void closeHarness() throws Exception {
    harness.close();
  }

  /** Sends a deployment of {@code sha} in {@code dir} on the control input. */
  private void deploy(String dir, String sha) throws Exception {
    harness.processElement2(
        new StreamRecord<>(new Deployment("d-1", dir, "test", "2", sha, null, 0, 0, 7)));
  }

  /** The tag the operator gives {@code value} now: the first two hex digits of its model. */
  private String tag(String value) throws Exception {
    harness.processElement1(new StreamRecord<>(value, 1));
    List<String> out = harness.extractOutputValues();
    return out.get(out.size() - 1);
  }

  private List<RefusedDeployment> refused() {
    var q = harness.getSideOutput(REFUSED);
    return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void shouldSwitchAtTheNextBarrierAndTellTheSubclass() throws Exception {
    harness.open();
    deploy("/m/b", SHA_B);
    assertThat(tag("x")).isEqualTo("x@aa");
    harness.prepareSnapshotPreBarrier(1);
    assertThat(tag("y")).isEqualTo("y@bb");
    assertThat(((TaggingOperator) harness.getOperator()).switches).isEqualTo(1);
    assertThat(refused()).isEmpty();
  }

  @Test
  void shouldRestoreTheSwitchedModelFromTheUnionState() throws Exception {
    harness.open();
    deploy("/m/b", SHA_B);
    harness.prepareSnapshotPreBarrier(1);
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();
    harness = harness(snapshot);
    harness.open();
    assertThat(tag("z")).isEqualTo("z@bb");
  }

  @Test
  void shouldRefuseOnTheSideOutputWithTheLoadersReason() throws Exception {
    harness.open();
    deploy("/m/broken", SHA_B);
    harness.prepareSnapshotPreBarrier(1);
    assertThat(tag("x")).isEqualTo("x@aa");
    assertThat(refused())
        .extracting(RefusedDeployment::stage, RefusedDeployment::reason)
        .containsExactly(tuple("tagger subtask 0", "deployment d-1 is broken; fix it"));
  }

  @Test
  void shouldRefuseAfterAnAbortedCheckpointUntilOneCompletes() throws Exception {
    harness.open();
    harness.prepareSnapshotPreBarrier(11);
    harness.getOperator().notifyCheckpointAborted(11);
    deploy("/m/b", SHA_B);
    assertThat(refused())
        .map(RefusedDeployment::reason)
        .first()
        .asString()
        .startsWith("checkpoint 11 was aborted");
    harness.prepareSnapshotPreBarrier(12);
    harness.notifyOfCompletedCheckpoint(12);
    deploy("/m/b", SHA_B);
    harness.prepareSnapshotPreBarrier(13);
    assertThat(tag("x")).isEqualTo("x@bb");
    assertThat(refused()).hasSize(1);
  }

  @Test
  void shouldPassOnTheWatermarksOfItsOwnInputOnly() throws Exception {
    harness.open();
    harness.processWatermark1(new Watermark(10));
    harness.processWatermark2(new Watermark(100));
    harness.processWatermarkStatus2(WatermarkStatus.ACTIVE);
    harness.processWatermark1(new Watermark(20));
    assertThat(harness.getOutput())
        .filteredOn(Watermark.class::isInstance)
        .extracting(w -> ((Watermark) w).getTimestamp())
        .containsExactly(10L, 20L);
  }

  @Test
  void shouldCloseTheReplacedModelAtTheSwitch() throws Exception {
    harness.open();
    TaggingOperator op = (TaggingOperator) harness.getOperator();
    ShaModel a = op.model;
    deploy("/m/b", SHA_B);
    harness.prepareSnapshotPreBarrier(1);
    assertThat(a.closed).isTrue();
    assertThat(op.model.closed).isFalse();
  }
}
