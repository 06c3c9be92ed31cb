package io.foresight.memory;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The memory module's boundaries, checked on its compiled classes. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.foresight.memory");

  @Test
  void shouldConfineRocksDbToTheInternalPackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.foresight.memory.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.rocksdb..")
        .because("only the memory store's internals talk to RocksDB (see STYLE.md rule 2)")
        .check(CLASSES);
  }

  /** MemoryService assembles the machinery; every other public type stays free of it. */
  @Test
  void shouldKeepThePublicApiFreeOfInternals() {
    noClasses()
        .that()
        .resideInAPackage("io.foresight.memory")
        .and()
        .haveNameNotMatching("io\\.foresight\\.memory\\.MemoryService.*")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.foresight.memory.internal..")
        .because("the public records and options must not leak the machinery")
        .check(CLASSES);
  }

  @Test
  void shouldNeverUseFlinkOrOnnxRuntime() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.flink..", "ai.onnxruntime..")
        .because("the memory store runs in its own JVM, away from the Flink job's classpath")
        .check(CLASSES);
  }

  @Test
  void shouldServeHttpOnlyFromTheInternalPackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.foresight.memory.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.sun.net.httpserver..")
        .check(CLASSES);
  }
}
