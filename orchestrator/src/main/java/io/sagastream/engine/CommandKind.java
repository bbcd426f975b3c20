package io.sagastream.engine;

/** Whether a command does a step's work or undoes it. */
public enum CommandKind {
  ACTION,
  COMPENSATION
}
