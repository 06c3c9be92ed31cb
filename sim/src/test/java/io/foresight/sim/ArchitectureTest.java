package io.foresight.sim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The sim module's boundaries, checked on its compiled classes. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPath(Path.of("target/classes"));

  @Test
  void shouldNotDependOnTheRuntimeOrModelStacks() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.flink..",
            "org.rocksdb..",
            "ai.onnxruntime..",
            "org.apache.kafka.streams..",
            "picocli..",
            "io.foresight.tools..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepTheWorldFreeOfKafkaAndAvro() {
    // The physics and rendering of a world are plain Java: usable offline, in tests, anywhere.
    noClasses()
        .that()
        .resideInAPackage("io.foresight.sim.world..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..", "org.apache.avro..", "io.foresight.schemas..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepPushTFreeOfKafkaAndAvro() {
    noClasses()
        .that()
        .resideInAPackage("io.foresight.sim.pusht..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..", "org.apache.avro..", "io.foresight.schemas..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepThePhysicsEngineInsidePushTInternals() {
    // dyn4j is a detail of the Push-T world: its types never leak into the public API.
    noClasses()
        .that()
        .resideOutsideOfPackage("io.foresight.sim.pusht.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.dyn4j..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepTheWorldFreeOfInternals() {
    noClasses()
        .that()
        .resideInAPackage("io.foresight.sim.world..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.foresight.sim.internal..")
        .check(CLASSES);
  }
}
