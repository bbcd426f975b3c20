package io.sagastream.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EffectsBySagaTest {

  @Test
  void aRedeliveredCommandOfTheSameSagaFindsItsEffect() {
    EffectsBySaga charges = new EffectsBySaga("ch");

    String first = charges.make("saga-1", "order-1");
    String again = charges.make("saga-1", "order-1");

    assertThat(again).isEqualTo(first);
    assertThat(charges.byOrder()).containsExactly(java.util.Map.entry("order-1", first));
  }

  @Test
  void aLaterSagaForTheSameOrderMakesItsOwnEffectNotTheUndoneOne() {
    // given a saga whose reservation for order-2 was taken back
    EffectsBySaga reservations = new EffectsBySaga("res");
    String undone = reservations.make("saga-1", "order-2");
    reservations.undo("saga-1");

    // when another saga for the same order reserves
    String next = reservations.make("saga-2", "order-2");

    // then it holds a reservation of its own, and the first saga holds none
    assertThat(next).isNotEqualTo(undone);
    assertThat(reservations.made("saga-1")).isFalse();
    assertThat(reservations.made("saga-2")).isTrue();
    assertThat(reservations.byOrder()).containsExactly(java.util.Map.entry("order-2", next));
  }
}
