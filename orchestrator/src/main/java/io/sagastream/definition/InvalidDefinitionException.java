package io.sagastream.definition;

import java.util.List;
import java.util.stream.Collectors;

/** A definition that cannot be deployed, with every error found, each naming the exact field. */
public class InvalidDefinitionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<DefinitionError> errors;

  public InvalidDefinitionException(List<DefinitionError> errors) {
    super(
        "Invalid saga definition: "
            + errors.stream().map(DefinitionError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<DefinitionError> errors() {
    return errors;
  }
}
