package io.sagastream.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sagastream.worker.CommandKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {

  @Test
  void theSameCommandIsDecidedTheSameWayEveryTimeItIsDelivered() {
    // given two injectors of one participant with the same plan, as before and after a restart
    FaultInjector before = new FaultInjector("payment", FaultPlan.failing(0.3, 0.3));
    FaultInjector after = new FaultInjector("payment", FaultPlan.failing(0.3, 0.3));

    // when / then every command id gets the same decision from both, however often it is asked
    IntStream.range(0, 1_000)
        .mapToObj(i -> "order-fulfilment:o-" + i + ":r/charge-payment/action/1")
        .forEach(
            id ->
                assertThat(after.decide(id, CommandKind.ACTION))
                    .isEqualTo(before.decide(id, CommandKind.ACTION))
                    .isEqualTo(before.decide(id, CommandKind.ACTION)));
  }

  @Test
  void theSharesOfInjectedFaultsFollowThePlan() {
    // given a participant that fails 5% of its actions for good and 10% for now
    FaultInjector faults = new FaultInjector("inventory", FaultPlan.failing(0.05, 0.10));

    // when twenty thousand commands are decided
    Map<InjectedFault, Integer> counts = new EnumMap<>(InjectedFault.class);
    IntStream.range(0, 20_000)
        .mapToObj(i -> "s-" + i + "/reserve-stock/action/1")
        .forEach(id -> counts.merge(faults.decide(id, CommandKind.ACTION), 1, Integer::sum));

    // then the shares are close to the plan's
    assertThat(counts.get(InjectedFault.FAILURE) / 20_000.0).isCloseTo(0.05, within(0.01));
    assertThat(counts.get(InjectedFault.RETRYABLE_FAILURE) / 20_000.0)
        .isCloseTo(0.10, within(0.01));
  }

  @Test
  void compensationsFailOnlyForNowNeverForGood() {
    // given a participant that fails every action for good
    FaultInjector faults = new FaultInjector("shipping", FaultPlan.failing(1.0, 0.0));

    // when its compensations are decided
    // then none fails: there is nothing a sample undo could refuse
    IntStream.range(0, 1_000)
        .mapToObj(i -> "s-" + i + "/schedule-shipment/compensation/1")
        .forEach(
            id ->
                assertThat(faults.decide(id, CommandKind.COMPENSATION))
                    .isEqualTo(InjectedFault.NONE));
  }

  @Test
  void participantsDrawIndependentlyForTheSameCommandId() {
    // given two participants with the same plan
    FaultInjector inventory = new FaultInjector("inventory", FaultPlan.failing(0.5, 0.0));
    FaultInjector payment = new FaultInjector("payment", FaultPlan.failing(0.5, 0.0));

    // when they decide the same ids
    long agreeing =
        IntStream.range(0, 2_000)
            .mapToObj(i -> "id-" + i)
            .filter(
                id ->
                    inventory.decide(id, CommandKind.ACTION)
                        == payment.decide(id, CommandKind.ACTION))
            .count();

    // then they agree about half the time, as independent coins do
    assertThat(agreeing / 2_000.0).isCloseTo(0.5, within(0.05));
  }

  @Test
  void aChangedPlanTakesEffectForTheNextCommand() {
    // given a participant without faults
    FaultInjector faults = new FaultInjector("inventory", FaultPlan.NONE);
    assertThat(faults.decide("c-1", CommandKind.ACTION)).isEqualTo(InjectedFault.NONE);

    // when its plan changes to fail everything for now
    faults.plan(FaultPlan.failing(0.0, 1.0));

    // then the same command is now failed for now
    assertThat(faults.decide("c-1", CommandKind.ACTION)).isEqualTo(InjectedFault.RETRYABLE_FAILURE);
  }
}
