package io.foresight.memory.internal;

import io.foresight.memory.api.MemoryClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the HTTP tests: the memory topology over real RocksDB stores, served over HTTP on a free
 * port, with 30 states each of {@link #ROBOT} and {@code r2} and one action of {@code r2} piped.
 */
abstract class ServedMemoryTest {
  static final String ROBOT = "robot 1/a";
  @TempDir Path dir;
  TopologyFixture f;
  MemoryClient client;

  @BeforeEach
  void serveTwoStreams() {
    f = new TopologyFixture(dir);
    client = f.serve();
    f.pipeTwoStreams(ROBOT);
  }

  @AfterEach
  void closeFixture() {
    f.close();
  }
}
