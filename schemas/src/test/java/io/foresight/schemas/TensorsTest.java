package io.foresight.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foresight.schemas.avro.Tensor;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TensorsTest {

  @Test
  void shouldWriteLittleEndianFloat32() {
    Tensor t = Tensors.tensor(new float[] {1.0f, -2.0f}, 2);
    byte[] b = new byte[t.getData().remaining()];
    t.getData().duplicate().get(b);
    assertThat(HexFormat.of().formatHex(b)).isEqualTo("0000803f000000c0");
  }

  @Test
  void shouldRoundTripValuesWithShape() {
    float[] v = {1, 2, 3, 4, 5, 6};
    Tensor t = Tensors.tensor(v, 2, 3);
    assertThat(Tensors.shape(t)).containsExactly(2, 3);
    assertThat(Tensors.values(t)).containsExactly(v);
  }

  @Test
  void shouldCopyIntoDirectBufferWithoutLosingOrder() {
    FloatBuffer dst = Tensors.directFloats(4);
    assertThat(dst.isDirect()).isTrue();
    assertThat(dst.order()).isEqualTo(ByteOrder.nativeOrder());
    Tensors.readInto(Tensors.tensor(new float[] {7, 8}, 2), dst);
    Tensors.readInto(Tensors.tensor(new float[] {9, 10}, 2), dst);
    assertThat(dst.get(0)).isEqualTo(7f);
    assertThat(dst.get(3)).isEqualTo(10f);
  }

  @Test
  void shouldRefuseShapeThatDoesNotMatchValues() {
    assertThatThrownBy(() -> Tensors.tensor(new float[] {1, 2, 3}, 2, 2))
        .isInstanceOf(ContractException.class)
        .hasMessageContaining("holds 4 values but 3 were given");
  }

  @Test
  void shouldRefuseDataLengthThatDoesNotMatchShape() {
    Tensor t = Tensors.tensor(new float[] {1, 2, 3, 4}, 4);
    t.setShape(java.util.List.of(5));
    assertThatThrownBy(() -> Tensors.values(t))
        .isInstanceOf(ContractException.class)
        .hasMessageContaining("needs 20 bytes of float32 but has 16");
  }

  @Test
  void shouldRefuseNegativeDimensions() {
    assertThatThrownBy(() -> Tensors.elementCount(2, -1))
        .isInstanceOf(ContractException.class)
        .hasMessageContaining("negative dimension");
  }
}
