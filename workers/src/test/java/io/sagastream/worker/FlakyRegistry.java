package io.sagastream.worker;

import io.sagastream.registry.CompatibilityCheck;
import io.sagastream.registry.CompatibilityLevel;
import io.sagastream.registry.RegisteredSchema;
import io.sagastream.registry.RegistryUnavailableException;
import io.sagastream.registry.SchemaRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/** A real registry that is unavailable for exactly one call to {@link #register}, the n-th. */
final class FlakyRegistry implements SchemaRegistry {

  private final SchemaRegistry real;
  private final int failingCall;
  private final AtomicInteger registerCalls = new AtomicInteger();

  FlakyRegistry(SchemaRegistry real, int failingCall) {
    this.real = real;
    this.failingCall = failingCall;
  }

  @Override
  public int register(String subject, Schema schema) {
    if (registerCalls.incrementAndGet() == failingCall) {
      throw new RegistryUnavailableException(
          "Schema registry unavailable (simulated)", subject, 503, null);
    }
    return real.register(subject, schema);
  }

  @Override
  public RegisteredSchema lookup(String subject, Schema schema) {
    return real.lookup(subject, schema);
  }

  @Override
  public Schema schemaById(int id) {
    return real.schemaById(id);
  }

  @Override
  public RegisteredSchema latest(String subject) {
    return real.latest(subject);
  }

  @Override
  public RegisteredSchema version(String subject, int version) {
    return real.version(subject, version);
  }

  @Override
  public List<Integer> versions(String subject) {
    return real.versions(subject);
  }

  @Override
  public List<String> subjects() {
    return real.subjects();
  }

  @Override
  public CompatibilityCheck checkCompatibility(String subject, Schema schema) {
    return real.checkCompatibility(subject, schema);
  }

  @Override
  public CompatibilityLevel compatibility(String subject) {
    return real.compatibility(subject);
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    real.setCompatibility(subject, level);
  }

  @Override
  public void setGlobalCompatibility(CompatibilityLevel level) {
    real.setGlobalCompatibility(level);
  }
}
