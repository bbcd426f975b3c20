package io.sagastream.testing;

/** A real schema registry speaking the Confluent REST API, for tests. */
public interface SchemaRegistryServer extends AutoCloseable {

  /** The base URL of the Confluent-compatible API, without a trailing slash. */
  String url();

  /** A short description for logs and failure messages. */
  String describe();

  @Override
  void close();
}
