package io.foresight.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The runtime module's boundaries, held by the build. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("io.foresight.runtime");

  @Test
  void shouldNotNeedFlink() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.flink..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepKafkaRocksDbAndTheOtherModulesOut() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.rocksdb..",
            "org.apache.kafka..",
            "io.foresight.encoders..",
            "io.foresight.planner..",
            "io.foresight.pipeline..",
            "picocli..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepOnnxRuntimeOutOfTheExceptionsAndValues() {
    // Device, ProviderSelection, SessionSpec and the exceptions travel in Flink operators and in
    // configuration; they must load without ONNX Runtime's native library.
    noClasses()
        .that()
        .haveSimpleNameEndingWith("Exception")
        .or()
        .haveSimpleName("Device")
        .or()
        .haveSimpleName("ProviderSelection")
        .or()
        .haveSimpleName("SessionSpec")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("ai.onnxruntime..")
        .check(CLASSES);
  }
}
