package io.sagastream.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link KafkaCluster} or {@link EmbeddedKafkaCluster} parameter: how many brokers the test
 * needs. Clusters are shared by every test in the run that asks for the same number.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Brokers {
  int value();
}
