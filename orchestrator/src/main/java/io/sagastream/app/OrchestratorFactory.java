package io.sagastream.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.topology.BoundedStoreMemory;
import io.sagastream.topology.ClientSecurity;
import io.sagastream.topology.KafkaAccess;
import io.sagastream.topology.NodeStartup;
import io.sagastream.topology.OrchestratorNode;
import io.sagastream.topology.SagaMetrics;
import io.sagastream.topology.SagaTopics;
import io.sagastream.topology.SagaTracing;
import io.sagastream.topology.TopologySettings;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the node: the registry client, the topics, the running topology and a producer for the API.
 */
@Factory
class OrchestratorFactory {

  private static final Logger LOG = LoggerFactory.getLogger(OrchestratorFactory.class);

  @Singleton
  SchemaRegistry schemaRegistry(OrchestratorSettings settings) {
    return new RestSchemaRegistry(registryConfig(settings));
  }

  /**
   * The registry client's configuration from the node's settings, through the Confluent property
   * names the client reads: the timeouts, basic auth or a bearer token, and a trust store for
   * HTTPS.
   */
  static RegistryClientConfig registryConfig(OrchestratorSettings settings) {
    Map<String, Object> properties = new HashMap<>();
    properties.put(RegistryClientConfig.URL, settings.getSchemaRegistryUrl());
    long timeout = settings.getSchemaRegistryTimeout().toMillis();
    properties.put(RegistryClientConfig.CONNECT_TIMEOUT_MS, Long.toString(timeout));
    properties.put(RegistryClientConfig.REQUEST_TIMEOUT_MS, Long.toString(timeout));
    // The node asks for a subject's latest version only at deploy, where a version another client
    // registered a moment ago must not be missed for a cached one.
    properties.put(RegistryClientConfig.LATEST_CACHE_TTL_SEC, "0");
    if (!settings.getSchemaRegistryBasicAuthUserInfo().isBlank()) {
      properties.put(RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
      properties.put(
          RegistryClientConfig.BASIC_AUTH_USER_INFO, settings.getSchemaRegistryBasicAuthUserInfo());
    }
    if (!settings.getSchemaRegistryBearerToken().isBlank()) {
      if (properties.containsKey(RegistryClientConfig.BASIC_AUTH_USER_INFO)) {
        throw new IllegalArgumentException(
            "sagastream.schema-registry-basic-auth-user-info and"
                + " sagastream.schema-registry-bearer-token are both set: choose one");
      }
      properties.put(RegistryClientConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN");
      properties.put(
          RegistryClientConfig.BEARER_AUTH_TOKEN, settings.getSchemaRegistryBearerToken());
    }
    if (!settings.getSchemaRegistryTrustStore().isBlank()) {
      properties.put(
          RegistryClientConfig.TRUSTSTORE_LOCATION, settings.getSchemaRegistryTrustStore());
      properties.put(
          RegistryClientConfig.TRUSTSTORE_PASSWORD, settings.getSchemaRegistryTrustStorePassword());
      properties.put(
          RegistryClientConfig.TRUSTSTORE_TYPE, settings.getSchemaRegistryTrustStoreType());
    }
    return RegistryClientConfig.fromProperties(properties);
  }

  /** Where the node's own Kafka clients connect, and how (the security settings Streams uses). */
  @Singleton
  KafkaClients kafkaClients(OrchestratorSettings settings, Environment environment) {
    return new KafkaClients(
        settings.getBootstrapServers(), ClientSecurity.of(streamsSettings(environment)));
  }

  /** Kafka's refusals of this node (a login, an ACL), for the log and the readiness check. */
  @Singleton
  KafkaAccess kafkaAccess(KafkaClients clients) {
    return new KafkaAccess(Clock.systemUTC(), clients.security());
  }

  /** Every {@code kafka.streams.default.*} setting, under Kafka's own names. */
  static Map<String, Object> streamsSettings(Environment environment) {
    return StreamsPassThrough.from(environment);
  }

  @Singleton
  SagaTopics topics(OrchestratorSettings settings) {
    return new SagaTopics(
        settings.getTopicPrefix(), settings.getPartitions(), settings.getReplicationFactor());
  }

  /**
   * Starts with the application, so a node joins its group without waiting for a first request;
   * Kafka Streams itself starts once the topics are prepared, and until then the node serves its
   * health and says why it is not ready.
   */
  @Context
  @Bean(preDestroy = "close")
  NodeStartup nodeStartup(
      OrchestratorSettings settings,
      SagaTopics topics,
      SchemaRegistry registry,
      SagaMetrics metrics,
      SagaTracing tracing,
      MeterRegistry meters,
      Environment environment,
      KafkaAccess access,
      @Value("${kafka.streams.default.application.server:}") String applicationServer) {
    Map<String, Object> passedThrough = new HashMap<>();
    passedThrough.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.getStandbyReplicas());
    passedThrough.put(BoundedStoreMemory.BYTES_CONFIG, settings.getStoreMemory());
    if (!settings.getGroupInstanceId().isBlank()) {
      passedThrough.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.getGroupInstanceId());
    }
    passedThrough.putAll(streamsSettings(environment));
    if (passedThrough.containsKey(StreamsConfig.CLIENT_ID_CONFIG)) {
      LOG.warn(
          "{}.client.id is set: the node's peers cannot tell its Kafka Streams process id from its"
              + " clients' names, so when it dies they cannot fence its open transaction, and its"
              + " partitions wait up to transaction.timeout.ms before the survivors go on",
          StreamsPassThrough.PREFIX);
    }
    if (!applicationServer.isBlank()) {
      // Other nodes forward calls here: Kafka Streams shares this address with the group.
      passedThrough.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
    }
    TopologySettings defaults = TopologySettings.defaults();
    NodeStartup startup =
        new OrchestratorNode(
                settings.getApplicationId(),
                settings.getBootstrapServers(),
                settings.getStateDir(),
                topics,
                settings.isCreateTopics(),
                new TopologySettings(
                    settings.getTimerInterval(),
                    settings.getRecoveryInterval(),
                    settings.getRecoveryAge(),
                    settings.getEndedRetention(),
                    defaults.maxTimersPerRun(),
                    defaults.inboxTimeToLive(),
                    settings.getInstanceFormat()),
                passedThrough)
            .startWhenTopicsReady(registry, metrics, tracing, access);
    // Kafka Streams' own metrics, with thread and task tags (Micrometer's binder keeps them). Bound
    // here, not as a MeterBinder bean, since the registry's binders must not depend on the streams.
    new KafkaStreamsMetrics(startup.streams()).bindTo(meters);
    return startup;
  }

  @Context
  KafkaStreams kafkaStreams(NodeStartup startup) {
    return startup.streams();
  }

  /** The tracing settings in effect: Sagastream's own, OpenTelemetry's variables for the rest. */
  @Singleton
  TracingSettings.Resolved tracing(TracingSettings settings, Environment environment) {
    return settings.resolve(environment);
  }

  /** The tracer provider behind the spans; none unless an exporter is configured. */
  @Singleton
  @Bean(preDestroy = "close")
  SdkTracerProvider tracerProvider(TracingSettings.Resolved tracing) {
    AttributesBuilder resource = Attributes.builder();
    tracing.attributes().forEach(resource::put);
    resource.put(AttributeKey.stringKey("service.name"), tracing.serviceName());
    SdkTracerProviderBuilder provider =
        SdkTracerProvider.builder()
            .setIdGenerator(new ChosenIds())
            .setResource(Resource.getDefault().merge(Resource.create(resource.build())));
    if (tracing.exporter().equals("otlp")) {
      OtlpHttpSpanExporterBuilder exporter =
          OtlpHttpSpanExporter.builder().setEndpoint(tracing.endpoint());
      tracing.headers().forEach(exporter::addHeader);
      provider.addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).build());
    } else if (tracing.exporter().equals("logging")) {
      provider.addSpanProcessor(SimpleSpanProcessor.create(LoggingSpanExporter.create()));
    }
    return provider.build();
  }

  @Singleton
  SagaTracing sagaTracing(TracingSettings.Resolved tracing, SdkTracerProvider provider) {
    if (!tracing.exports()) {
      return SagaTracing.NONE;
    }
    return new OpenTelemetryTracing(provider.get("io.sagastream"));
  }

  @Singleton
  @Bean(preDestroy = "close")
  Producer<String, byte[]> producer(KafkaClients clients) {
    Map<String, Object> config = new HashMap<>(clients.common());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofSeconds(60).toMillis());
    // send() waits this long for the topic's metadata before the call's own 30 s start: its
    // default of 60 s outlasted the 45 s a node passing a call on waits for the answer.
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Duration.ofSeconds(10).toMillis());
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }
}
