package io.foresight.planner;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The planner module's boundaries, held by the build. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.foresight.planner");
  }

  @Test
  void shouldKeepRocksDbKafkaAndTheEncodersModuleOut() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.rocksdb..", "org.apache.kafka..", "io.foresight.encoders..")
        .check(classes);
  }

  @Test
  void shouldOpenSessionsThroughTheModelRuntimeOnly() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.foresight.runtime.internal..")
        .check(classes);
  }

  @Test
  void shouldUseFlinkOnlyInTheOperator() {
    // The operator and the classes nested in it (its state POJO, its timer callbacks).
    noClasses()
        .that()
        .haveNameNotMatching("io\\.foresight\\.planner\\.WorldModelOperator(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.flink..")
        .check(classes);
  }

  @Test
  void shouldKeepTheSimulatorAndProducersOut() {
    // Evaluation and graph building on the simulated world live in the tools module.
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.foresight.ingest..", "io.foresight.sim..")
        .check(classes);
  }

  @Test
  void shouldNotLetTheLibraryDependOnTheCommandLine() {
    noClasses()
        .that()
        .resideInAnyPackage("io.foresight.planner..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.foresight.tools..", "picocli..")
        .check(classes);
  }
}
