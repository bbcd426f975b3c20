package io.sagastream.codec;

import io.sagastream.contracts.v1.DeadLetterMetadata;
import io.sagastream.contracts.v1.DeployedDefinition;
import io.sagastream.contracts.v1.SagaEvent;
import io.sagastream.contracts.v1.SagaRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * The generated contract classes, initialised before the stream threads start.
 *
 * <p>Each generated class builds its own Avro model when it is first used, which scans the class
 * path for conversions: 1 to 20 ms a class on an idle machine. Left to first use, that happened on
 * the stream thread in a saga's first step of each kind, and after a failover thread dumps of the
 * survivors showed them in it (a first {@code StepRetryScheduled}) while their tasks waited.
 */
public final class ContractClasses {

  private static final List<Schema> PUBLISHED =
      List.of(
          SagaEvent.getClassSchema(),
          SagaRequest.getClassSchema(),
          DeployedDefinition.getClassSchema(),
          DeadLetterMetadata.getClassSchema());

  private ContractClasses() {}

  /** Initialises the class of every record and enum the published contracts name. */
  public static void initialize() {
    ClassLoader loader = ContractClasses.class.getClassLoader();
    for (String name : names()) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("No generated class for contract type " + name, e);
      }
    }
  }

  /** The full names of the records and enums reachable from the published contracts. */
  static Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    Deque<Schema> pending = new ArrayDeque<>(PUBLISHED);
    while (!pending.isEmpty()) {
      Schema schema = pending.pop();
      switch (schema.getType()) {
        case RECORD -> {
          if (names.add(schema.getFullName())) {
            schema.getFields().forEach(field -> pending.push(field.schema()));
          }
        }
        case ENUM -> names.add(schema.getFullName());
        case UNION -> schema.getTypes().forEach(pending::push);
        case ARRAY -> pending.push(schema.getElementType());
        case MAP -> pending.push(schema.getValueType());
        default -> {}
      }
    }
    return names;
  }
}
