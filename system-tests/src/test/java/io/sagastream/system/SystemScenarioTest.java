package io.sagastream.system;

import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInstance;

/**
 * What the system-test classes share: a {@link SystemUnderTest} started once per class and warmed
 * up, brought back to health after each scenario, and closed after the last one, before the brokers
 * the class may have started itself.
 */
@RealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SystemScenarioTest {

  SystemUnderTest system;
  Scenarios scenarios;

  /** Starts the system on {@code kafka} and runs the warm-up load through it. */
  void startOn(KafkaCluster kafka, SchemaRegistryServer registry, Path work) {
    system = SystemUnderTest.start(kafka, registry, Scenarios.orchestratorJar(), work);
    scenarios = new Scenarios(system);
    scenarios.warmUp();
  }

  @AfterEach
  void restoreTheSystem() {
    if (scenarios != null) {
      scenarios.closeLoad();
    }
    if (system != null) {
      system.restore();
    }
  }

  @AfterAll
  void stopTheSystem() {
    if (system != null) {
      system.close();
    }
    closeOwnBrokers();
  }

  /** Closes brokers the class started itself, once its nodes are gone; none by default. */
  void closeOwnBrokers() {}
}
