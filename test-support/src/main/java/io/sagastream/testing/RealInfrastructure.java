package io.sagastream.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class real infrastructure as parameters: {@link KafkaCluster}, {@link
 * EmbeddedKafkaCluster} (optionally with {@link Brokers}) and {@link SchemaRegistryServer}. Each is
 * started once per test run and stopped at its end.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RealInfrastructureExtension.class)
public @interface RealInfrastructure {}
