package io.foresight.tools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layout of docs/ARCHITECTURE (README "Modules"), held by the build across every module:
 * the tools module sees all of them on its classpath (their main classes, not their test jars).
 */
class ModuleLayoutTest {
  private static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.foresight");
  }

  /** io.foresight.X.internal.. is used only by io.foresight.X.. (X = the module's package). */
  @Test
  void noModuleUsesAnotherModulesInternalPackage() {
    classes()
        .should(
            new ArchCondition<JavaClass>("not use another module's internal package") {
              @Override
              public void check(JavaClass c, ConditionEvents events) {
                String own = module(c.getPackageName());
                c.getDirectDependenciesFromSelf().stream()
                    .map(d -> d.getTargetClass())
                    .filter(t -> t.getPackageName().startsWith("io.foresight."))
                    .filter(t -> ("." + t.getPackageName() + ".").contains(".internal."))
                    .filter(t -> !module(t.getPackageName()).equals(own))
                    .forEach(
                        t ->
                            events.add(
                                SimpleConditionEvent.violated(
                                    c, c.getName() + " uses " + t.getName())));
              }
            })
        .check(classes);
  }

  @Test
  void onlyToolsHasACommandLine() {
    noClasses()
        .that(outside("io.foresight.tools..", "io.foresight.memory.cli.."))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("picocli..", "io.foresight.tools..")
        .check(classes);
  }

  @Test
  void theJobNeedsNeitherTheSimulatorNorTheProducers() {
    noClasses()
        .that()
        .resideInAnyPackage("io.foresight.pipeline..", "io.foresight.planner..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.foresight.sim..", "io.foresight.ingest..", "io.foresight.broker..")
        .check(classes);
  }

  @Test
  void theModelRuntimeModulesDoNotNeedEachOther() {
    noClasses()
        .that()
        .resideInAPackage("io.foresight.planner..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.foresight.encoders..")
        .check(classes);
  }

  private static String module(String pkg) {
    String[] p = pkg.split("\\.");
    return p.length > 2 ? p[2] : pkg;
  }

  private static DescribedPredicate<JavaClass> outside(String... packages) {
    return DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(packages));
  }
}
