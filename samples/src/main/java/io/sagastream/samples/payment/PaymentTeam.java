package io.sagastream.samples.payment;

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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * The payment team's participant: charges orders and refunds them. The payment provider confirms a
 * charge later, with a {@link PaymentConfirmed} message that the saga waits for.
 */
public final class PaymentTeam implements SampleTeam {

  public static final String NAME = "payment";

  /** Every charge made, by saga. */
  private final EffectsBySaga charges = new EffectsBySaga("ch");

  /** Order ids whose charge was refunded. */
  private final Set<String> refunds = ConcurrentHashMap.newKeySet();

  private final CompensatedSteps compensated = new CompensatedSteps();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Schema> contracts() {
    return List.of(
        ChargePayment.getClassSchema(),
        PaymentCharged.getClassSchema(),
        RefundPayment.getClassSchema(),
        PaymentConfirmed.getClassSchema());
  }

  @Override
  public SagaWorker.Builder handlers(
      SagaWorker.Builder worker, SampleTopics topics, FaultInjector faults) {
    return worker
        .handle(
            topics.chargePayment(),
            ChargePayment.class,
            faults.guard("CARD_DECLINED", compensated.action(this::charge)))
        .handle(
            topics.refundPayment(),
            RefundPayment.class,
            faults.guard("REFUND_REFUSED", compensated.compensation(this::refund)));
  }

  /** Charge id by order id, of every charge made (refunded or not). */
  public Map<String, String> charges() {
    return charges.byOrder();
  }

  /** Order ids whose charge was refunded. */
  public Set<String> refunds() {
    return Set.copyOf(refunds);
  }

  private Reply charge(ChargePayment command, CommandContext context) {
    // One charge per saga, whatever the number of deliveries and attempts.
    return Reply.success(new PaymentCharged(charges.make(context.sagaId(), command.getOrderId())));
  }

  private Reply refund(RefundPayment command, CommandContext context) {
    // Refund only what was charged; a refund for no charge has nothing to undo.
    if (charges.made(context.sagaId())) {
      refunds.add(command.getOrderId());
    }
    return Reply.success();
  }
}
