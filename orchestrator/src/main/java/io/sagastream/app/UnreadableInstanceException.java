package io.sagastream.app;

import io.sagastream.topology.InstanceKeys;

/**
 * A stored instance this node cannot decode: written by a newer node during a rolling downgrade,
 * say, or damaged in its changelog. The call that met it answers 500 naming the instance, since
 * neither the caller nor a retry can mend it.
 */
final class UnreadableInstanceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UnreadableInstanceException(String storeKey, RuntimeException cause) {
    super(
        "the instance of saga key '"
            + InstanceKeys.sagaKeyOf(storeKey)
            + "' and definition '"
            + InstanceKeys.definitionOf(storeKey)
            + "' is stored in a form this node cannot read: "
            + cause.getMessage(),
        cause);
  }
}
