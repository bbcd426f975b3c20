package io.sagastream.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.sagastream.engine.purityfixture.ImpureDecisions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine decides; it does not talk to the world. These rules keep frameworks, the clock,
 * randomness and I/O out of {@code io.sagastream.engine}, so that a decision depends only on
 * (instance, command, now) and can be replayed.
 */
class EnginePurityTest {

  private static final String ENGINE = "io.sagastream.engine..";

  static final ArchRule ONLY_JAVA_AND_ITSELF =
      classes()
          .that()
          .resideInAPackage(ENGINE)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(ENGINE, "java..")
          .because("the engine must stay free of Kafka, Micronaut, Avro and every other framework");

  static final ArchRule NO_IO =
      noClasses()
          .that()
          .resideInAPackage(ENGINE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.io..",
              "java.nio..",
              "java.net..",
              "java.sql..",
              "java.util.concurrent..",
              "java.lang.reflect..")
          .because("the engine does no I/O and starts no threads: processors do");

  static final ArchRule NO_CLOCK_OR_RANDOMNESS =
      noClasses()
          .that()
          .resideInAPackage(ENGINE)
          .should()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .callMethod(System.class, "nanoTime")
          .orShould()
          .callMethodWhere(target(nameMatching("now")))
          .orShould()
          .dependOnClassesThat()
          .belongToAnyOf(
              Clock.class, Random.class, SecureRandom.class, ThreadLocalRandom.class, UUID.class)
          .because("time comes in as a parameter and ids and jitter are derived, not drawn");

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sagastream");
  }

  @Test
  void theEngineDependsOnNothingButJavaAndItself() {
    assertThat(production.that(resideInEngine())).isNotEmpty();
    ONLY_JAVA_AND_ITSELF.check(production);
  }

  @Test
  void theEngineDoesNoIo() {
    NO_IO.check(production);
  }

  @Test
  void theEngineReadsNoClockAndDrawsNoRandomness() {
    NO_CLOCK_OR_RANDOMNESS.check(production);
  }

  @Test
  void theRulesCatchAnImpureEngineClass() {
    // given an engine-package class that reads the clock, draws a UUID, does I/O and uses Kafka
    JavaClasses impure = new ClassFileImporter().importClasses(ImpureDecisions.class);

    // then every rule reports it
    assertThat(ONLY_JAVA_AND_ITSELF.evaluate(impure).hasViolation()).isTrue();
    assertThat(NO_IO.evaluate(impure).hasViolation()).isTrue();
    assertThat(NO_CLOCK_OR_RANDOMNESS.evaluate(impure).getFailureReport().getDetails())
        .anySatisfy(line -> assertThat(line).contains("currentTimeMillis"))
        .anySatisfy(line -> assertThat(line).contains("UUID"));
  }

  private static com.tngtech.archunit.base.DescribedPredicate<
          com.tngtech.archunit.core.domain.JavaClass>
      resideInEngine() {
    return com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(ENGINE);
  }
}
