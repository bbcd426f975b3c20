package io.sagastream.samples;

import io.sagastream.worker.SagaWorker;
import java.util.List;
import org.apache.avro.Schema;

/** One team's participant: its contracts and the command handlers it puts on a worker. */
public interface SampleTeam {

  /** The team's name: its consumer group (after the topic prefix) and its fault settings' name. */
  String name();

  /** The records the team owns: commands, replies and messages. */
  List<Schema> contracts();

  /** Adds the team's handlers, each behind {@code faults}, to {@code worker}. */
  SagaWorker.Builder handlers(SagaWorker.Builder worker, SampleTopics topics, FaultInjector faults);
}
