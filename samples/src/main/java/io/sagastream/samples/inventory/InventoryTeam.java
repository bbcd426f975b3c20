package io.sagastream.samples.inventory;

import io.sagastream.samples.CompensatedSteps;
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

/** The inventory team's participant: holds stock for orders and gives it back. */
public final class InventoryTeam implements SampleTeam {

  public static final String NAME = "inventory";

  /** The stock held now, by saga. */
  private final EffectsBySaga reservations = new EffectsBySaga("res");

  private final CompensatedSteps compensated = new CompensatedSteps();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Schema> contracts() {
    return List.of(
        ReserveStock.getClassSchema(),
        StockReserved.getClassSchema(),
        ReleaseStock.getClassSchema());
  }

  @Override
  public SagaWorker.Builder handlers(
      SagaWorker.Builder worker, SampleTopics topics, FaultInjector faults) {
    return worker
        .handle(
            topics.reserveStock(),
            ReserveStock.class,
            faults.guard("OUT_OF_STOCK", compensated.action(this::reserve)))
        .handle(
            topics.releaseStock(),
            ReleaseStock.class,
            faults.guard("RELEASE_REFUSED", compensated.compensation(this::release)));
  }

  /** Reservation id by order id, of the stock held now. */
  public Map<String, String> reservations() {
    return reservations.byOrder();
  }

  private Reply reserve(ReserveStock command, CommandContext context) {
    // A redelivery, or a retry after a timed-out attempt that did get through, finds the stock
    // already held and answers with the same reservation.
    return Reply.success(
        new StockReserved(reservations.make(context.sagaId(), command.getOrderId())));
  }

  private Reply release(ReleaseStock command, CommandContext context) {
    // Nothing held (the reservation never happened, or was released already) is fine too.
    reservations.undo(context.sagaId());
    return Reply.success();
  }
}
