package io.foresight.memory.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The memory API is a contract: the JDK and Jackson, nothing of the server. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.foresight.memory.api");

  @Test
  void shouldDependOnTheJdkAndJacksonOnly() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.foresight.memory.api..", "com.fasterxml.jackson..")
        .because("callers (planner, pipeline, tools) take the contract without RocksDB or Kafka")
        .check(CLASSES);
  }
}
