package io.sagastream.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Checks, with Avro's own {@link SchemaCompatibility}, that the current contracts can read
 * everything written with a published version: the registry's BACKWARD rule, applied before
 * anything is published.
 */
final class BackwardCompatibility {

  private BackwardCompatibility() {}

  /**
   * Every problem found, one line each; empty when {@code current} can read all of {@code
   * published}.
   */
  static List<String> problems(ContractSet current, ContractSet published) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Schema> entry : published.contractsByFullName().entrySet()) {
      Schema reader = current.contractsByFullName().get(entry.getKey());
      if (reader == null) {
        problems.add(entry.getKey() + " was published in " + published.label() + " and is gone");
        continue;
      }
      var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, entry.getValue());
      if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
        result
            .getResult()
            .getIncompatibilities()
            .forEach(
                incompatibility ->
                    problems.add(
                        entry.getKey()
                            + " cannot read data written with "
                            + published.label()
                            + ": "
                            + incompatibility.getType()
                            + " at "
                            + incompatibility.getLocation()
                            + " ("
                            + incompatibility.getMessage()
                            + ")"));
      }
    }
    return problems;
  }
}
