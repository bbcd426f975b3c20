package io.sagastream.app.security;

import java.net.URI;
import java.net.URISyntaxException;

/** Text about settings that may hold secrets, fit for a log line or an error message. */
public final class SecretFreeText {

  private SecretFreeText() {}

  /**
   * A URL without its user info and query (either may carry credentials): {@code
   * https://user:pw@host/path?key=k} becomes {@code https://host/path}.
   */
  public static String url(String url) {
    if (url == null || url.isBlank()) {
      return "none";
    }
    try {
      URI uri = new URI(url.trim());
      if (uri.getHost() == null) {
        return "(a URL that does not parse)";
      }
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
          .toString();
    } catch (URISyntaxException e) {
      return "(a URL that does not parse)";
    }
  }
}
