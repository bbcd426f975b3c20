package io.sagastream.topology;

/** Every topology node, store and default topic name, in one place. */
public final class TopologyNames {

  public static final String REQUESTS_TOPIC = "saga.requests";
  public static final String REPLIES_TOPIC = "saga.replies";
  public static final String MESSAGES_TOPIC = "saga.messages";
  public static final String EVENTS_TOPIC = "saga.events";
  public static final String DEFINITIONS_TOPIC = "saga.definitions";
  public static final String DEAD_LETTERS_TOPIC = "saga.dead-letters";
  public static final String REROUTED_TOPIC = "saga.rerouted";

  public static final String INSTANCE_STORE = "saga-instances";
  public static final String TIMER_STORE = "saga-timers";
  public static final String INBOX_STORE = "saga-inbox";
  public static final String DEFINITION_STORE = "saga-definitions";

  public static final String REQUESTS_SOURCE = "requests-source";
  public static final String REPLIES_SOURCE = "replies-source";
  public static final String MESSAGES_SOURCE = "messages-source";
  public static final String REROUTED_SOURCE = "rerouted-source";
  public static final String REROUTED_SINK = "rerouted-sink";
  public static final String DEFINITIONS_SOURCE = "definitions-source";
  public static final String DEFINITIONS_UPDATER = "definitions-updater";
  public static final String SAGA_PROCESSOR = "SagaProcessor";
  public static final String COMMANDS_SINK = "participant-commands-sink";
  public static final String EVENTS_SINK = "events-sink";
  public static final String DEAD_LETTERS_SINK = "dead-letters-sink";

  private TopologyNames() {}
}
