package io.foresight.encoders;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module's boundaries, checked by the build. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("io.foresight.encoders");

  @Test
  void sessionsComeFromTheModelRuntime() {
    // ONNX Runtime sessions, the device choice and the preprocessing live in the runtime module;
    // this module uses its public package only.
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("ai.onnxruntime..", "io.foresight.runtime.internal..")
        .check(CLASSES);
  }

  @Test
  void theCoreApiDoesNotNeedFlink() {
    noClasses()
        .that()
        .resideInAnyPackage("io.foresight.encoders", "io.foresight.encoders.internal")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.flink..")
        .check(CLASSES);
  }

  @Test
  void nothingUsesTheCommandLine() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("picocli..", "io.foresight.tools..")
        .check(CLASSES);
  }

  @Test
  void nothingUsesRocksDbOrKafkaStreams() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.rocksdb..", "org.apache.kafka.streams..")
        .check(CLASSES);
  }
}
