package io.foresight.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeviceTest {

  @Test
  void shouldParseEveryForm() {
    assertThat(Device.parse("auto")).isEqualTo(Device.AUTO);
    assertThat(Device.parse("")).isEqualTo(Device.AUTO);
    assertThat(Device.parse(null)).isEqualTo(Device.AUTO);
    assertThat(Device.parse(" CPU ")).isEqualTo(Device.CPU);
    assertThat(Device.parse("cuda")).isEqualTo(new Device(Device.Kind.CUDA, -1));
    assertThat(Device.parse("cuda:1")).isEqualTo(Device.cuda(1));
    assertThat(Device.parse("GPU:2")).isEqualTo(Device.cuda(2));
  }

  @Test
  void shouldPrintWhatItParses() {
    for (String s : new String[] {"auto", "cpu", "cuda", "cuda:3"}) {
      assertThat(Device.parse(s).toString()).isEqualTo(s);
    }
  }

  @Test
  void shouldRefuseUnknownDevicesWithTheForms() {
    assertThatThrownBy(() -> Device.parse("tpu:0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown device 'tpu:0'")
        .hasMessageContaining("use auto, cpu, cuda or cuda:N");
    assertThatThrownBy(() -> Device.parse("cuda:-1")).hasMessageContaining("cuda:N");
    assertThatThrownBy(() -> Device.parse("cuda:x")).hasMessageContaining("cuda:N");
    assertThatThrownBy(() -> new Device(Device.Kind.CPU, 0)).hasMessageContaining("no index");
  }

  @Test
  void shouldFillInAGpuIndexOnlyWhereNoneWasGiven() {
    assertThat(Device.AUTO.withDefaultIndex(2)).isEqualTo(new Device(Device.Kind.AUTO, 2));
    assertThat(Device.parse("cuda").withDefaultIndex(2)).isEqualTo(Device.cuda(2));
    assertThat(Device.cuda(1).withDefaultIndex(2)).isEqualTo(Device.cuda(1));
    assertThat(Device.CPU.withDefaultIndex(2)).isEqualTo(Device.CPU);
    assertThat(Device.AUTO.cudaIndexOrZero()).isZero();
  }
}
