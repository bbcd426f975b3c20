package io.sagastream.registry;

import java.util.List;

/** The registry's answer to "could this schema be registered under the subject?". */
public record CompatibilityCheck(String subject, boolean compatible, List<String> messages) {

  public CompatibilityCheck {
    messages = List.copyOf(messages);
  }
}
