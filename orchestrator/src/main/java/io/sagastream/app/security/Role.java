package io.sagastream.app.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a caller of the HTTP API may do. Each role implies the ones below it: an admin is an
 * operator, and an operator is a viewer.
 */
public enum Role {
  /** Reads: every GET of the API. */
  VIEWER,
  /** Changes sagas: start, cancel, retry, skip, and publishing messages. */
  OPERATOR,
  /** Deploys definitions. */
  ADMIN;

  /** The name used in tokens and configuration: {@code viewer}, {@code operator}, {@code admin}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when a holder of this role may do what {@code required} allows. */
  public boolean implies(Role required) {
    return ordinal() >= required.ordinal();
  }

  public static Optional<Role> of(String id) {
    for (Role role : values()) {
      if (role.id().equals(id)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }

  /**
   * True when any of {@code granted} (role names; unknown names are ignored) implies {@code
   * required}.
   */
  public static boolean granted(Collection<String> granted, Role required) {
    return granted.stream().flatMap(id -> of(id).stream()).anyMatch(r -> r.implies(required));
  }

  /** Every role that {@code granted} amounts to, the implied ones included. */
  public static Set<Role> effective(Collection<String> granted) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (Role role : values()) {
      if (granted(granted, role)) {
        roles.add(role);
      }
    }
    return roles;
  }
}
