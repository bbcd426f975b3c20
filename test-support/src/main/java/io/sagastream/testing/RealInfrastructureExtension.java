package io.sagastream.testing;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves the parameters of {@link RealInfrastructure}, shared across the run in the root store.
 */
public final class RealInfrastructureExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RealInfrastructureExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KafkaCluster.class
        || type == EmbeddedKafkaCluster.class
        || type == SchemaRegistryServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    int brokers = parameter.findAnnotation(Brokers.class).map(Brokers::value).orElse(1);
    if (type == SchemaRegistryServer.class) {
      return shared(context, "registry", TestInfrastructure::startRegistry);
    }
    if (type == EmbeddedKafkaCluster.class || TestInfrastructure.kafkaMode().equals("embedded")) {
      return shared(
          context, "embedded-" + brokers, () -> TestInfrastructure.startEmbedded(brokers));
    }
    return shared(context, "kafka-" + brokers, () -> TestInfrastructure.startKafka(brokers));
  }

  private static <T extends AutoCloseable> T shared(
      ExtensionContext context, String key, Supplier<T> start) {
    // The root store closes AutoCloseable values when the test run ends.
    ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
    try {
      @SuppressWarnings("unchecked")
      T resource = (T) store.getOrComputeIfAbsent(key, k -> start.get(), AutoCloseable.class);
      return resource;
    } catch (RuntimeException e) {
      throw new ParameterResolutionException("Cannot provide " + key + ": " + e.getMessage(), e);
    }
  }
}
