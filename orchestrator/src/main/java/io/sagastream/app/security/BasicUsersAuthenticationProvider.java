package io.sagastream.app.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestExecutorAuthenticationProvider;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.Optional;

/**
 * Checks HTTP basic credentials against the configured users. Runs on the blocking executor, since
 * a bcrypt check takes a noticeable slice of CPU. An unknown user costs the same check as a known
 * one, so that the time taken does not tell which names exist.
 */
@Singleton
@Requires(property = "micronaut.security.enabled", notEquals = "false")
final class BasicUsersAuthenticationProvider<B>
    implements HttpRequestExecutorAuthenticationProvider<B> {

  /** A valid bcrypt hash of a random password nobody knows, checked for unknown users. */
  private static final String DECOY = PasswordHashes.bcrypt("decoy".toCharArray());

  private final BasicUsers users;

  BasicUsersAuthenticationProvider(SecuritySettings settings) {
    this.users = BasicUsers.of(settings.getUsers(), settings.getUserFile());
  }

  int users() {
    return users.size();
  }

  @Override
  public @NonNull AuthenticationResponse authenticate(
      @Nullable HttpRequest<B> request,
      @NonNull AuthenticationRequest<String, String> credentials) {
    if (users.size() == 0) {
      // Nobody could match: no hash is worth checking, and a caller sending basic credentials
      // to a node that takes tokens only must not be able to spend its CPU on bcrypt.
      return AuthenticationResponse.failure(AuthenticationFailureReason.USER_NOT_FOUND);
    }
    String name = credentials.getIdentity();
    char[] password =
        credentials.getSecret() == null ? new char[0] : credentials.getSecret().toCharArray();
    try {
      Optional<BasicUsers.User> user = name == null ? Optional.empty() : users.user(name);
      boolean matches =
          PasswordHashes.matches(password, user.map(BasicUsers.User::hash).orElse(DECOY));
      if (user.isPresent() && matches) {
        return AuthenticationResponse.success(
            name, Role.effective(user.get().roles()).stream().map(Role::id).toList());
      }
      return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
    } finally {
      Arrays.fill(password, '\0');
    }
  }
}
