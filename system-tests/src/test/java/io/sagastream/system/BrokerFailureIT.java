package io.sagastream.system;

import static io.sagastream.system.Scenarios.LOAD_WITHIN;
import static io.sagastream.system.Scenarios.SAGAS;

import io.sagastream.samples.OrderFulfilment;
import io.sagastream.testing.SchemaRegistryServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenario c: a broker killed under load. The system is the one of {@link FaultToleranceIT}, with
 * brokers that are processes of their own ({@link BrokerProcesses}), since a broker in the test JVM
 * can only be shut down cleanly, which hands its leaderships over first: a different and cheaper
 * failure than the SIGKILL the scenario asks for. {@code -Dsagastream.system.brokers=stock} runs
 * the brokers with Kafka's own failure detection instead of the recommended one ({@link
 * BrokerSettings}).
 *
 * <p>After the scenario the system is restored as after any other: the killed broker starts again
 * on its logs, catches up, and gets its leaderships back.
 *
 * <p>A class of its own because broker processes cost the other scenarios: four more JVMs on two
 * cores, each compiling the broker code for itself, made them run about 1.7 times as long.
 */
class BrokerFailureIT extends SystemScenarioTest {

  private BrokerProcesses kafka;

  @BeforeAll
  void startTheSystem(SchemaRegistryServer registry) {
    Path work = Scenarios.workDirectory();
    Path kafkaClasspath =
        Path.of(
            System.getProperty(
                "sagastream.system.kafka-classpath", "target/kafka-server.classpath"));
    kafka = BrokerProcesses.start(kafkaClasspath, work.resolve("kafka"), BrokerSettings.chosen());
    startOn(kafka, registry, work);
  }

  @Override
  void closeOwnBrokers() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void c_aBrokerLostMidLoadLosesNothing() {
    // given a load of sagas
    SagaLoad load = scenarios.startLoad("c", OrderFulfilment.NAME, SAGAS, 0);

    // when the broker that leads the requests' first partition is killed
    load.awaitAccepted(SAGAS / 3, LOAD_WITHIN);
    int broker = system.leaderOfRequests();
    long killedAt = System.nanoTime();
    system.killBroker(broker);

    // then the other two (min.insync.replicas 2) carry every saga to its end
    Set<Integer> all = Scenarios.allPartitions();
    scenarios.finish(
        "c",
        "kill -9 broker " + broker,
        load,
        SystemUnderTest.MAX_ATTEMPTS,
        Map.of("broker-settings", BrokerSettings.describeChosen()),
        () -> system.observer().longestPause(all, killedAt, load.lastStartNanos()));
  }
}
