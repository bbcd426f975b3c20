package io.sagastream.engine.purityfixture;

import java.io.File;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Everything the engine must not do, in one place, to show that {@code EnginePurityTest} notices.
 */
public final class ImpureDecisions {

  private ImpureDecisions() {}

  public static String decide() {
    long now = System.currentTimeMillis();
    boolean exists = new File("/tmp").exists();
    RecordHeader header = new RecordHeader("saga-id", new byte[0]);
    return UUID.randomUUID() + "@" + now + exists + header.key();
  }
}
