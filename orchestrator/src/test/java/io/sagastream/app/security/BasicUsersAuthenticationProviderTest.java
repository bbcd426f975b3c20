package io.sagastream.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.security.authentication.AuthenticationFailed;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.UsernamePasswordCredentials;
import org.junit.jupiter.api.Test;

class BasicUsersAuthenticationProviderTest {

  private static AuthenticationResponse authenticate(String users, String name, String password) {
    SecuritySettings settings = new SecuritySettings();
    settings.setUsers(users);
    return new BasicUsersAuthenticationProvider<Object>(settings)
        .authenticate(null, new UsernamePasswordCredentials(name, password));
  }

  @Test
  void aConfiguredUserWithTheRightPasswordGetsInWithTheirRoles() {
    String users = "olga:" + PasswordHashes.bcrypt("pw".toCharArray()) + ":operator";

    AuthenticationResponse response = authenticate(users, "olga", "pw");

    assertThat(response.isAuthenticated()).isTrue();
    assertThat(response.getAuthentication().orElseThrow().getRoles())
        .containsExactlyInAnyOrder("operator", "viewer");
  }

  @Test
  void withNoUsersConfiguredBasicCredentialsAreRefusedWithoutCheckingAnyHash() {
    // given a node that takes tokens only: no basic users

    // when someone sends basic credentials
    AuthenticationResponse response = authenticate("", "olga", "pw");

    // then they are refused as an unknown user, not after a (decoy) hash check
    assertThat(response.isAuthenticated()).isFalse();
    assertThat(response)
        .isInstanceOfSatisfying(
            AuthenticationFailed.class,
            failed ->
                assertThat(failed.getReason())
                    .isEqualTo(AuthenticationFailureReason.USER_NOT_FOUND));
  }
}
