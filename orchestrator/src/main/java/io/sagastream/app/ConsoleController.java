package io.sagastream.app;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the operator console: a page and its scripts and styles from the jar ({@value #ROOT}),
 * which call the API from the browser with the user's credentials. Nothing is loaded from anywhere
 * else, and the Content-Security-Policy says so to the browser.
 */
@Controller("/console")
class ConsoleController {

  static final String ROOT = "console/";

  /** The console is one flat folder: a name with no path in it cannot reach another resource. */
  private static final Pattern FILE = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|js|css|svg)");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");

  static final String POLICY =
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  /**
   * {@code /console/} is the page. {@code /console} without the slash is sent there, so that the
   * page's relative links (and a reverse proxy's path prefix) resolve under it.
   */
  @Get
  HttpResponse<?> page(HttpRequest<?> request) {
    if (!request.getPath().endsWith("/")) {
      // 303, as the API document says: a permanent 301 would stay in browsers' caches.
      return HttpResponse.seeOther(URI.create("console/"));
    }
    return asset("index.html");
  }

  @Get("/{file}")
  HttpResponse<?> asset(String file) {
    if (!FILE.matcher(file).matches()) {
      throw new NotFoundException("the console has no file " + file);
    }
    byte[] content = read(ROOT + file);
    if (content == null) {
      throw new NotFoundException("the console has no file " + file);
    }
    MutableHttpResponse<byte[]> response = HttpResponse.ok(content);
    response.contentType(TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
    // Small files, and a new release must show at once: ask each time, never keep a stale copy.
    response.header("Cache-Control", "no-cache");
    response.header("Content-Security-Policy", POLICY);
    response.header("X-Content-Type-Options", "nosniff");
    response.header("Referrer-Policy", "no-referrer");
    return response;
  }

  private static byte[] read(String resource) {
    try (InputStream in = ConsoleController.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }
}
