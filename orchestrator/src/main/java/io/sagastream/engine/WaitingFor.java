package io.sagastream.engine;

/** The receive step an instance waits in, and the message name it waits for. */
public record WaitingFor(int stepIndex, String messageName) {}
