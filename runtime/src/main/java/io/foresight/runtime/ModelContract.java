package io.foresight.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.foresight.schemas.ModelCard;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks a loaded encoder against its model card: one float input {@code [N, C, H, W]} with the
 * card's name and size, a float output {@code [N, latent...]} with the card's latent shape, the
 * card's input and output names. Every mismatch is a {@link ModelRuntimeException} that says which
 * side to fix. The encoders' {@code OnnxFrameEncoder} and the planner's goal and graph encoding
 * both go through it (via {@link ImageEncoder}).
 *
 * @param inputName the input to feed
 * @param outputName the output to read
 * @param fixedBatch the model's fixed batch size, or -1 for a dynamic batch axis
 */
public record ModelContract(String inputName, String outputName, long fixedBatch) {

  /**
   * Checks {@code session} against {@code card}; returns what to feed and read.
   *
   * @param maxBatch the largest batch the caller will run
   * @param batchOption the configuration key that set {@code maxBatch}, named in messages
   */
  public static ModelContract check(
      OrtSession session, ModelCard card, int maxBatch, String batchOption) {
    ModelCard.ModelFile file = card.fileInfo("encoder");
    String where = card.file("encoder").toString();
    Map<String, NodeInfo> inputs;
    Map<String, NodeInfo> outputs;
    try {
      inputs = session.getInputInfo();
      outputs = session.getOutputInfo();
    } catch (OrtException e) {
      throw new ModelRuntimeException("Error reading the inputs and outputs of " + where, e);
    }
    List<String> inputNames = new ArrayList<>(inputs.keySet());
    List<String> outputNames = new ArrayList<>(outputs.keySet());
    String inputName = card.input().name();
    if (inputs.size() != 1 || !inputs.containsKey(inputName)) {
      throw new ModelRuntimeException(
          "encoder "
              + where
              + " has inputs "
              + inputNames
              + " but its model card expects exactly one input '"
              + inputName
              + "' (input.name); re-export the model with input_names=['"
              + inputName
              + "'] or fix the card");
    }
    if (!file.inputs().isEmpty() && !file.inputs().equals(inputNames)) {
      throw new ModelRuntimeException(
          "encoder "
              + where
              + " has inputs "
              + inputNames
              + " but its model card lists "
              + file.inputs()
              + " (files.encoder.inputs)");
    }
    if (!file.outputs().isEmpty() && !outputNames.containsAll(file.outputs())) {
      throw new ModelRuntimeException(
          "encoder "
              + where
              + " has outputs "
              + outputNames
              + " but its model card lists "
              + file.outputs()
              + " (files.encoder.outputs); re-export with those output_names or fix the card");
    }
    String outputName = file.outputs().isEmpty() ? outputNames.get(0) : file.outputs().get(0);

    TensorInfo in = tensorInfo(inputs.get(inputName), where, "input '" + inputName + "'");
    long[] inShape = in.getShape();
    ModelCard.Input ci = card.input();
    if (in.type != OnnxJavaType.FLOAT
        || inShape.length != 4
        || !dimOk(inShape[1], ci.channels())
        || !dimOk(inShape[2], ci.height())
        || !dimOk(inShape[3], ci.width())) {
      throw new ModelRuntimeException(
          "encoder "
              + where
              + " input '"
              + inputName
              + "' is "
              + in.type
              + " "
              + Arrays.toString(inShape)
              + " but its model card says FLOAT [N, "
              + ci.channels()
              + ", "
              + ci.height()
              + ", "
              + ci.width()
              + "] (input.channels, input.height, input.width); the card and the model do not"
              + " belong together");
    }
    long fixedBatch = inShape[0] > 0 ? inShape[0] : -1;
    if (fixedBatch > 0 && fixedBatch != maxBatch) {
      throw new ModelRuntimeException(
          "encoder "
              + where
              + " has a fixed batch size of "
              + fixedBatch
              + " but "
              + batchOption
              + " is "
              + maxBatch
              + "; set "
              + batchOption
              + "="
              + fixedBatch
              + " or re-export the model with a dynamic batch axis"
              + " (torch.onnx.export(..., dynamic_axes={'"
              + inputName
              + "': {0: 'batch'}}))");
    }

    TensorInfo out = tensorInfo(outputs.get(outputName), where, "output '" + outputName + "'");
    long[] outShape = out.getShape();
    int[] latent = card.latentShape();
    boolean ok = out.type == OnnxJavaType.FLOAT && outShape.length == latent.length + 1;
    for (int i = 0; ok && i < latent.length; i++) {
      ok = dimOk(outShape[i + 1], latent[i]);
    }
    if (!ok) {
      throw new ModelRuntimeException(
          "encoder "
              + where
              + " output '"
              + outputName
              + "' is "
              + out.type
              + " "
              + Arrays.toString(outShape)
              + " but its model card says FLOAT [N, "
              + Arrays.toString(latent).replace("[", "").replace("]", "")
              + "] (latent.shape)");
    }
    return new ModelContract(inputName, outputName, fixedBatch);
  }

  private static boolean dimOk(long actual, int expected) {
    return actual < 0 || actual == expected;
  }

  private static TensorInfo tensorInfo(NodeInfo node, String where, String what) {
    if (!(node.getInfo() instanceof TensorInfo t)) {
      throw new ModelRuntimeException(
          "encoder " + where + " " + what + " is not a tensor but " + node.getInfo());
    }
    return t;
  }
}
