package io.sagastream.definition;

/**
 * One thing wrong with a definition: where (a JSON path such as {@code steps[1].retry.jitter}) and
 * why.
 */
public record DefinitionError(String path, String message) {

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
