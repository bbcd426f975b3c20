package io.sagastream.topology;

/** A participant command on its way out: the topic it goes to and its framed bytes. */
public record RoutedCommand(String topic, byte[] value) {}
