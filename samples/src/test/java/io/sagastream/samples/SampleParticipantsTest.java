package io.sagastream.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleParticipantsTest {

  @Test
  void withoutSamplesTeamsEveryTeamRuns() {
    // given an environment that names no teams
    Map<String, String> env = Map.of("SAGASTREAM_TOPIC_PREFIX", "shop.");

    // when the teams to run are read
    List<String> teams = SampleParticipants.teamsFromEnvironment(env);

    // then all three run
    assertThat(teams).isEqualTo(SampleParticipants.TEAMS);
  }

  @Test
  void samplesTeamsRunsOnlyTheTeamsItNames() {
    // given shipping served elsewhere
    Map<String, String> env = Map.of("SAMPLES_TEAMS", " inventory, payment ,");

    // when the teams to run are read
    List<String> teams = SampleParticipants.teamsFromEnvironment(env);

    // then only the named ones run
    assertThat(teams).containsExactly("inventory", "payment");
  }

  @Test
  void anUnknownTeamInSamplesTeamsIsRefusedByName() {
    // given a misspelt team
    Map<String, String> env = Map.of("SAMPLES_TEAMS", "inventory,shiping");

    // when the teams to run are read, then the error names it and the teams there are
    assertThatThrownBy(() -> SampleParticipants.teamsFromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SAMPLES_TEAMS")
        .hasMessageContaining("'shiping'")
        .hasMessageContaining("[inventory, payment, shipping]");
  }

  @Test
  void samplesTeamsThatNamesNoTeamIsRefused() {
    // given the variable set but empty
    Map<String, String> env = Map.of("SAMPLES_TEAMS", " , ");

    // when the teams to run are read, then it is refused rather than running nothing
    assertThatThrownBy(() -> SampleParticipants.teamsFromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SAMPLES_TEAMS names no team");
  }
}
