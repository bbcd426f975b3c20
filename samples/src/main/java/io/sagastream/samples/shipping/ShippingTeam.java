package io.sagastream.samples.shipping;

import io.sagastream.samples.CompensatedSteps;
import io.sagastream.samples.DerivedIds;
import io.sagastream.samples.EffectsBySaga;
import io.sagastream.samples.FaultInjector;
import io.sagastream.samples.SampleTeam;
import io.sagastream.samples.SampleTopics;
import io.sagastream.worker.CommandContext;
import io.sagastream.worker.Reply;
import io.sagastream.worker.SagaWorker;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** The shipping team's participant: books pick-ups for orders and cancels them. */
public final class ShippingTeam implements SampleTeam {

  public static final String NAME = "shipping";

  /** The pick-ups booked now, by saga. */
  private final EffectsBySaga shipments = new EffectsBySaga("shp");

  private final CompensatedSteps compensated = new CompensatedSteps();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Schema> contracts() {
    return List.of(
        ScheduleShipment.getClassSchema(),
        ShipmentScheduled.getClassSchema(),
        CancelShipment.getClassSchema());
  }

  @Override
  public SagaWorker.Builder handlers(
      SagaWorker.Builder worker, SampleTopics topics, FaultInjector faults) {
    return worker
        .handle(
            topics.scheduleShipment(),
            ScheduleShipment.class,
            faults.guard("ADDRESS_NOT_SERVED", compensated.action(this::schedule)))
        .handle(
            topics.cancelShipment(),
            CancelShipment.class,
            faults.guard("CANCEL_REFUSED", compensated.compensation(this::cancel)));
  }

  /** Shipment id by order id, of the pick-ups booked now. */
  public Map<String, String> shipments() {
    return shipments.byOrder();
  }

  private Reply schedule(ScheduleShipment command, CommandContext context) {
    String shipmentId = shipments.make(context.sagaId(), command.getOrderId());
    String trackingNumber = DerivedIds.of("TRK", shipmentId).toUpperCase(java.util.Locale.ROOT);
    return Reply.success(new ShipmentScheduled(shipmentId, trackingNumber));
  }

  private Reply cancel(CancelShipment command, CommandContext context) {
    shipments.undo(context.sagaId());
    return Reply.success();
  }
}
