package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GroupTakeoverTest {

  @Test
  void aStreamThreadMembersTransactionalIdIsNamedFromTheProcessAndTheThreadIndex() {
    // given the member of stream thread 2 of a node, under Kafka Streams' default client id
    String clientId = "shop.orchestrator-5f0c-StreamThread-2-consumer";

    // when its producer's transactional id is derived, then it is the one exactly_once_v2 uses
    assertThat(GroupTakeover.transactionalId("shop.orchestrator", "5f0c", clientId))
        .contains("shop.orchestrator-5f0c-2");
  }

  @Test
  void aClientIdChosenByTheOperatorStillGivesTheThreadsTransactionalId() {
    assertThat(
            GroupTakeover.transactionalId(
                "shop.orchestrator", "5f0c", "orders-node-1-StreamThread-12-consumer"))
        .contains("shop.orchestrator-5f0c-12");
  }

  @Test
  void aMemberThatIsNoStreamThreadOrAPeerWithoutProcessIdGivesNone() {
    assertThat(GroupTakeover.transactionalId("shop.orchestrator", "5f0c", "some-consumer"))
        .isEmpty();
    assertThat(
            GroupTakeover.transactionalId(
                "shop.orchestrator", "", "shop.orchestrator-5f0c-StreamThread-1-consumer"))
        .isEmpty();
  }
}
