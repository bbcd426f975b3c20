package io.sagastream.app.security;

import java.util.Locale;
import java.util.Map;

/**
 * Who may call which route of the HTTP API, by HTTP method and route template (as the router
 * matched it, so a path the router reads one way cannot be classified another way here). A route
 * that is not in this table is refused to everyone: a new controller is closed until someone
 * decides who may call it, and so are Micronaut's management endpoints other than health and
 * metrics ({@code /beans}, {@code /routes}, {@code /threaddump}, {@code /refresh}, ...).
 */
public final class ApiAccess {

  /** What a route asks of its caller. */
  public sealed interface Need {}

  /** A caller holding this role, or one that implies it. */
  public record NeedsRole(Role role) implements Need {}

  /** Health probes: anonymous unless configured otherwise, else a viewer. */
  public record Health() implements Need {}

  /** The Prometheus scrape: anonymous unless configured otherwise, else a viewer. */
  public record Metrics() implements Need {}

  /**
   * {@code GET /nodes/self}, asked by peers: anonymous, or the configured node token, or a viewer.
   */
  public record NodeSelf() implements Need {}

  /**
   * {@code POST /nodes/departures}, sent by a peer shutting down: anonymous, or the configured node
   * token, or an admin (it holds back failover for the node it names).
   */
  public record PeerCall() implements Need {}

  /**
   * The operator console's pages, scripts and styles: anyone, since they hold no data; the console
   * then calls the API with the user's credentials.
   */
  public record ConsoleAsset() implements Need {}

  /** Nobody may call it. */
  public record Nobody() implements Need {}

  private static final Need VIEW = new NeedsRole(Role.VIEWER);
  private static final Need OPERATE = new NeedsRole(Role.OPERATOR);
  private static final Need ADMINISTER = new NeedsRole(Role.ADMIN);

  /** Every route of the API, with what it needs; GET includes HEAD. */
  private static final Map<String, Need> ROUTES =
      Map.ofEntries(
          Map.entry("GET /definitions", VIEW),
          Map.entry("GET /definitions/{name}", VIEW),
          Map.entry("GET /definitions/{name}/{version}", VIEW),
          Map.entry("GET /sagas", VIEW),
          Map.entry("GET /sagas/{key}", VIEW),
          Map.entry("GET /sagas/{key}/{definition}", VIEW),
          Map.entry("GET /nodes", VIEW),
          Map.entry("GET /overview", VIEW),
          Map.entry("GET /openapi.yml", VIEW),
          Map.entry("GET /openapi.json", VIEW),
          Map.entry("POST /definitions", ADMINISTER),
          Map.entry("POST /sagas", OPERATE),
          Map.entry("POST /sagas/{key}/{definition}/cancel", OPERATE),
          Map.entry("POST /sagas/{key}/{definition}/retry", OPERATE),
          Map.entry("POST /sagas/{key}/{definition}/skip", OPERATE),
          Map.entry("POST /messages", OPERATE));

  private ApiAccess() {}

  /**
   * What {@code method} on the route {@code template} (e.g. {@code /sagas/{key}/{definition}})
   * needs.
   */
  public static Need of(String method, String template) {
    String route = withoutQuery(template);
    String verb = method.toUpperCase(Locale.ROOT);
    boolean read = verb.equals("GET") || verb.equals("HEAD");
    if (read && under(route, "/health")) {
      return new Health();
    }
    if (read && under(route, "/prometheus")) {
      return new Metrics();
    }
    if (read && under(route, "/console")) {
      return new ConsoleAsset();
    }
    if (read && route.equals("/nodes/self")) {
      return new NodeSelf();
    }
    if (verb.equals("POST") && route.equals("/nodes/departures")) {
      return new PeerCall();
    }
    return ROUTES.getOrDefault((read ? "GET" : verb) + " " + route, new Nobody());
  }

  /** Every route of the API ({@code METHOD template}) with what it needs. */
  public static Map<String, Need> routes() {
    return ROUTES;
  }

  /** {@code /health}, {@code /health/liveness}, or the template {@code /health{/selector}}. */
  private static boolean under(String route, String root) {
    return route.equals(root) || route.startsWith(root + "/") || route.startsWith(root + "{/");
  }

  private static String withoutQuery(String template) {
    int query = template.indexOf("{?");
    String route = query < 0 ? template : template.substring(0, query);
    return route.length() > 1 && route.endsWith("/")
        ? route.substring(0, route.length() - 1)
        : route;
  }
}
