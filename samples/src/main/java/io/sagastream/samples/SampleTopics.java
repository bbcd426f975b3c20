package io.sagastream.samples;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The sample participants' command topics, one per command record, since a typed handler reads
 * every command on its topic into one class.
 *
 * @param prefix prepended to every name, as the orchestrator's own topics are ("" for none)
 */
public record SampleTopics(String prefix) {

  public String reserveStock() {
    return prefix + "inventory.reserve";
  }

  public String releaseStock() {
    return prefix + "inventory.release";
  }

  public String chargePayment() {
    return prefix + "payment.charge";
  }

  public String refundPayment() {
    return prefix + "payment.refund";
  }

  public String scheduleShipment() {
    return prefix + "shipping.schedule";
  }

  public String cancelShipment() {
    return prefix + "shipping.cancel";
  }

  public List<String> all() {
    return List.of(
        reserveStock(),
        releaseStock(),
        chargePayment(),
        refundPayment(),
        scheduleShipment(),
        cancelShipment());
  }

  /** Creates the topics that do not exist yet; participants own their command topics. */
  public void createMissing(Admin admin, int partitions, short replicationFactor) {
    try {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<NewTopic> missing =
          all().stream()
              .filter(topic -> !existing.contains(topic))
              .map(topic -> new NewTopic(topic, partitions, replicationFactor))
              .toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Cannot create the sample topics: " + e.getCause(), e);
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not create "
              + all().stream().collect(Collectors.joining(", "))
              + " within 60 s",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating the sample topics", e);
    }
  }
}
