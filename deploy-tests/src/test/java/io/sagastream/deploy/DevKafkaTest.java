package io.sagastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dev overlay's single Kafka broker. */
class DevKafkaTest {

  @Test
  void shouldSizeTheBrokersHeapWellWithinItsContainer() {
    // given
    var objects = Kustomize.render("overlays/dev");
    Container kafka =
        Manifests.one(objects, Deployment.class, "kafka")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);

    // when
    Map<String, String> environment = Manifests.environment(kafka, objects, null);
    Matcher heap =
        Pattern.compile("-Xmx([0-9]+)([mMgG])")
            .matcher(environment.getOrDefault("KAFKA_HEAP_OPTS", ""));
    BigDecimal limit = Quantity.getAmountInBytes(kafka.getResources().getLimits().get("memory"));

    // then a heap is set (kafka-server-start.sh's default is 1 GB), at most half the limit, so
    // that metaspace, threads and buffers fit beside it
    assertThat(heap.find()).as("-Xmx in KAFKA_HEAP_OPTS").isTrue();
    long bytes = Long.parseLong(heap.group(1)) << (heap.group(2).equalsIgnoreCase("g") ? 30 : 20);
    assertThat(BigDecimal.valueOf(bytes)).isLessThanOrEqualTo(limit.divide(BigDecimal.valueOf(2)));
  }
}
