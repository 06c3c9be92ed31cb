package io.foresight.deploy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The deploy module's boundaries, held by the build. */
@AnalyzeClasses(
    packages = "io.foresight.deploy",
    importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {
  /**
   * What a model is stays in the operators (encoders, planner): this module only wires the
   * runtime's deployment lifecycle to Flink.
   */
  @ArchTest
  static final ArchRule KNOWS_NO_MODEL_BUT_THROUGH_THE_RUNTIMES_PUBLIC_API =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "ai.onnxruntime..",
              "io.foresight.runtime.internal..",
              "io.foresight.encoders..",
              "io.foresight.planner..",
              "io.foresight.pipeline..",
              "org.rocksdb..",
              "org.apache.kafka..");
}
