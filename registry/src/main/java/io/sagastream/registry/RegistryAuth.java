package io.sagastream.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/** How the client authenticates to the registry: the value of the Authorization header, if any. */
public sealed interface RegistryAuth {

  /** The Authorization header value, or empty for no header. */
  Optional<String> authorizationHeader();

  static RegistryAuth none() {
    return None.INSTANCE;
  }

  static RegistryAuth basic(String user, String password) {
    return new Basic(user, password);
  }

  /** A bearer token, asked for on every call so that a refreshing supplier stays current. */
  static RegistryAuth bearer(Supplier<String> token) {
    return new Bearer(token);
  }

  /** No Authorization header. */
  enum None implements RegistryAuth {
    INSTANCE;

    @Override
    public Optional<String> authorizationHeader() {
      return Optional.empty();
    }
  }

  /** HTTP basic authentication. */
  record Basic(String user, String password) implements RegistryAuth {

    @Override
    public Optional<String> authorizationHeader() {
      String pair = user + ":" + password;
      return Optional.of(
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
      return "Basic[user=" + user + ", password=***]";
    }
  }

  /** A bearer token (an OAuth access token, say). */
  record Bearer(Supplier<String> token) implements RegistryAuth {

    @Override
    public Optional<String> authorizationHeader() {
      return Optional.of("Bearer " + token.get());
    }

    @Override
    public String toString() {
      return "Bearer[***]";
    }
  }
}
