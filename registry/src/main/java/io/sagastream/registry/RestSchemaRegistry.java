package io.sagastream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistry} over the Confluent Schema Registry REST API, with caching (ids and
 * registrations forever, since they never change; the newest version of a subject for a configured
 * time), timeouts, and retries with backoff across all configured URLs on connection errors and
 * 5xx, 408 and 429 answers.
 */
public final class RestSchemaRegistry implements SchemaRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistry.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CACHE_LIMIT = 10_000;

  private final RegistryClientConfig config;
  private final HttpClient http;
  private final AtomicInteger preferredUrl = new AtomicInteger();

  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectAndText, Integer> registeredIds = new ConcurrentHashMap<>();
  private final Map<SubjectAndText, RegisteredSchema> lookups = new ConcurrentHashMap<>();
  private final Map<String, CachedLatest> latestBySubject = new ConcurrentHashMap<>();

  /**
   * Canonical texts by schema: a serializer registers (from its cache) for every record it writes,
   * and canonicalizing means rendering and re-parsing the schema's JSON, which cost the
   * orchestrator most of its CPU per step before it was kept. Avro caches a schema's hash code, so
   * a hit costs an identity or structural comparison.
   */
  private final Map<Schema, String> canonicalTexts = new ConcurrentHashMap<>();

  public RestSchemaRegistry(RegistryClientConfig config) {
    this.config = config;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL);
    if (config.sslContext() != null) {
      builder.sslContext(config.sslContext());
    }
    this.http = builder.build();
  }

  public RegistryClientConfig config() {
    return config;
  }

  @Override
  public int register(String subject, Schema schema) {
    String text = canonical(schema);
    SubjectAndText key = new SubjectAndText(subject, text);
    Integer cached = registeredIds.get(key);
    if (cached != null) {
      return cached;
    }
    int id;
    try {
      JsonNode answer =
          call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(text), subject);
      id = positive(answer, "id", "POST /subjects/" + subject + "/versions", subject);
    } catch (IncompatibleSchemaException conflict) {
      // Two clients creating one subject at once: some registries (Apicurio) refuse the second
      // with 409 although the schema is there now. It is, if a lookup finds it.
      try {
        id = lookup(subject, schema).id();
      } catch (SchemaNotFoundException notThere) {
        throw conflict;
      }
    }
    remember(registeredIds, key, id);
    remember(schemasById, id, schema);
    latestBySubject.remove(subject);
    return id;
  }

  @Override
  public RegisteredSchema lookup(String subject, Schema schema) {
    String text = canonical(schema);
    SubjectAndText key = new SubjectAndText(subject, text);
    RegisteredSchema cached = lookups.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = call("POST", "/subjects/" + encode(subject), schemaBody(text), subject);
    String call = "POST /subjects/" + subject;
    RegisteredSchema found =
        new RegisteredSchema(
            subject,
            positive(answer, "version", call, subject),
            positive(answer, "id", call, subject),
            schema);
    remember(lookups, key, found);
    return found;
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = call("GET", "/schemas/ids/" + id, null, null);
    Schema schema = parse(answer.path("schema").asText(), "schema id " + id, null);
    remember(schemasById, id, schema);
    return schema;
  }

  @Override
  public RegisteredSchema latest(String subject) {
    CachedLatest cached = latestBySubject.get(subject);
    long now = System.nanoTime();
    if (cached != null && now - cached.fetchedAtNanos() < config.latestVersionTtl().toNanos()) {
      return cached.schema();
    }
    RegisteredSchema latest = fetchVersion(subject, "latest");
    latestBySubject.put(subject, new CachedLatest(latest, now));
    return latest;
  }

  @Override
  public RegisteredSchema version(String subject, int version) {
    return fetchVersion(subject, Integer.toString(version));
  }

  @Override
  public List<Integer> versions(String subject) {
    JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions", null, subject);
    List<Integer> versions = new ArrayList<>();
    answer.forEach(v -> versions.add(v.asInt()));
    return List.copyOf(versions);
  }

  @Override
  public List<String> subjects() {
    JsonNode answer = call("GET", "/subjects", null, null);
    List<String> subjects = new ArrayList<>();
    answer.forEach(s -> subjects.add(s.asText()));
    return List.copyOf(subjects);
  }

  @Override
  public CompatibilityCheck checkCompatibility(String subject, Schema schema) {
    String path = "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true";
    try {
      JsonNode answer = call("POST", path, schemaBody(SchemaText.canonical(schema)), subject);
      List<String> messages = new ArrayList<>();
      answer.path("messages").forEach(m -> messages.add(m.asText()));
      return new CompatibilityCheck(subject, answer.path("is_compatible").asBoolean(), messages);
    } catch (SchemaNotFoundException e) {
      return new CompatibilityCheck(
          subject, true, List.of("subject " + subject + " has no versions yet"));
    }
  }

  @Override
  public CompatibilityLevel compatibility(String subject) {
    JsonNode answer;
    try {
      answer = call("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null, subject);
    } catch (SchemaRegistryException e) {
      if (e.httpStatus() != 404) {
        throw e;
      }
      // Registries that do not know defaultToGlobal answer 404 for a subject without its own
      // level, some without an error code.
      answer = call("GET", "/config", null, subject);
    }
    return level(answer, subject);
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    call("PUT", "/config/" + encode(subject), levelBody(level), subject);
  }

  @Override
  public void setGlobalCompatibility(CompatibilityLevel level) {
    call("PUT", "/config", levelBody(level), null);
  }

  private RegisteredSchema fetchVersion(String subject, String version) {
    JsonNode answer =
        call("GET", "/subjects/" + encode(subject) + "/versions/" + version, null, subject);
    String call = "GET /subjects/" + subject + "/versions/" + version;
    int id = positive(answer, "id", call, subject);
    Schema schema = parse(answer.path("schema").asText(), "subject " + subject, subject);
    remember(schemasById, id, schema);
    return new RegisteredSchema(subject, positive(answer, "version", call, subject), id, schema);
  }

  private JsonNode call(String method, String path, String body, String subject) {
    List<URI> urls = config.urls();
    int first = preferredUrl.get();
    Duration backoff = config.retryBackoff();
    String lastProblem = "no attempt made";
    int lastStatus = -1;
    Exception lastCause = null;
    for (int attempt = 0; attempt <= config.maxRetries(); attempt++) {
      int index = Math.floorMod(first + attempt, urls.size());
      URI uri = URI.create(urls.get(index) + path);
      try {
        HttpResponse<String> response = send(method, uri, body);
        int status = response.statusCode();
        if (status < 500 && !comeBackLater(status)) {
          preferredUrl.set(index);
          return answerOrThrow(response, method, path, subject);
        }
        lastStatus = status;
        lastProblem = describe(method, uri, status, response.body());
        lastCause = null;
      } catch (IOException e) {
        lastStatus = -1;
        lastProblem = method + " " + uri + " failed: " + e;
        lastCause = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException(
            "Interrupted while calling the schema registry" + about(subject), subject, -1, e);
      }
      if (attempt < config.maxRetries()) {
        LOG.debug("Schema registry call will be retried in {}: {}", backoff, lastProblem);
        sleep(backoff, subject);
        backoff = min(backoff.multipliedBy(2), RegistryClientConfig.MAX_BACKOFF);
      }
    }
    throw new RegistryUnavailableException(
        "Schema registry unavailable"
            + about(subject)
            + " after "
            + (config.maxRetries() + 1)
            + " attempts: "
            + lastProblem,
        subject,
        lastStatus,
        lastCause);
  }

  private HttpResponse<String> send(String method, URI uri, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(config.requestTimeout())
            .header("Accept", CONTENT_TYPE + ", application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", CONTENT_TYPE);
    }
    config.auth().authorizationHeader().ifPresent(value -> request.header("Authorization", value));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /**
   * What a status that refuses the client itself, not the call's subject or schema, means; null for
   * any other. A 403 with a registry error code (40301) denies one subject, which is about the
   * call.
   */
  private static String refusalOfTheClient(int status, int errorCode) {
    return switch (status) {
      case 401, 407 -> "check the orchestrator's registry credentials";
      case 403 ->
          errorCode / 100 == 403
              ? null
              : "the orchestrator's registry credentials lack a permission";
      default -> status < 400 ? "a redirect the client does not follow" : null;
    };
  }

  /** Statuses that ask the caller to try again later, retried as server errors are. */
  private static boolean comeBackLater(int status) {
    return status == 408 || status == 429;
  }

  /**
   * The answer's JSON, or what went wrong. Answers that say nothing about the call's subject or
   * schema (the orchestrator's credentials refused, a redirect not followed, a page that is not the
   * API, as a login page behind an ingress is) are {@link RegistryUnavailableException}s: the same
   * call may succeed once the registry or its configuration is mended, and the record that made the
   * call is not at fault.
   */
  private static JsonNode answerOrThrow(
      HttpResponse<String> response, String method, String path, String subject) {
    int status = response.statusCode();
    JsonNode json = readJson(response.body());
    if (status >= 200 && status < 300) {
      if (json == null) {
        throw new RegistryUnavailableException(
            "The schema registry answered "
                + method
                + " "
                + path
                + " with a body that is not JSON: is the URL the registry's API? "
                + shortened(response.body()),
            subject,
            status,
            null);
      }
      return json;
    }
    int errorCode = json == null ? -1 : json.path("error_code").asInt(-1);
    String refusal = refusalOfTheClient(status, errorCode);
    if (refusal != null) {
      throw new RegistryUnavailableException(
          "The schema registry refused "
              + method
              + " "
              + path
              + about(subject)
              + " with HTTP "
              + status
              + ": "
              + refusal,
          subject,
          status,
          null);
    }
    String registryMessage =
        json == null || json.path("message").isMissingNode()
            ? response.body()
            : json.path("message").asText();
    String message =
        "Schema registry refused "
            + method
            + " "
            + path
            + about(subject)
            + ": HTTP "
            + status
            + (errorCode > 0 ? " error " + errorCode : "")
            + ": "
            + registryMessage;
    if (status == 404 && errorCode / 100 == 404) {
      throw new SchemaNotFoundException(message, subject, errorCode);
    }
    if (status == 404) {
      // A registry says which thing it did not find (40401 a subject, 40403 a schema...); a bare
      // 404 is a path the server does not know, as a URL that misses the API's base path gives.
      throw new RegistryUnavailableException(
          message + " (no registry error code: is the URL the registry's API?)",
          subject,
          status,
          null);
    }
    if (status == 409) {
      throw new IncompatibleSchemaException(message, subject, errorCode);
    }
    throw new SchemaRegistryException(message, subject, status, errorCode, null);
  }

  private static JsonNode readJson(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static Schema parse(String text, String what, String subject) {
    try {
      return SchemaText.parse(text);
    } catch (IllegalArgumentException e) {
      throw new SchemaRegistryException(
          "The schema registry returned an unreadable schema for " + what + ": " + e.getMessage(),
          subject,
          200,
          -1,
          e);
    }
  }

  private static CompatibilityLevel level(JsonNode answer, String subject) {
    String text = answer.path("compatibilityLevel").asText(answer.path("compatibility").asText());
    try {
      return CompatibilityLevel.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw new SchemaRegistryException(
          "Unknown compatibility level '" + text + "'" + about(subject), subject, 200, -1, e);
    }
  }

  private static String schemaBody(String schemaText) {
    return JSON.createObjectNode().put("schema", schemaText).toString();
  }

  private static String levelBody(CompatibilityLevel level) {
    return JSON.createObjectNode().put("compatibility", level.name()).toString();
  }

  private static String describe(String method, URI uri, int status, String body) {
    return method + " " + uri + " answered HTTP " + status + " " + shortened(body);
  }

  private static String shortened(String body) {
    return body == null ? "" : body.substring(0, Math.min(body.length(), 300));
  }

  /** A field that must hold a number from 1, as ids and versions do. */
  private static int positive(JsonNode answer, String field, String call, String subject) {
    int value = answer.path(field).asInt(0);
    if (value <= 0) {
      throw new RegistryUnavailableException(
          "The schema registry answered " + call + " without a valid " + field + ": " + answer,
          subject,
          200,
          null);
    }
    return value;
  }

  private static String about(String subject) {
    return subject == null ? "" : " for subject '" + subject + "'";
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void sleep(Duration duration, String subject) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException(
          "Interrupted while waiting to retry the schema registry" + about(subject),
          subject,
          -1,
          e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private String canonical(Schema schema) {
    String cached = canonicalTexts.get(schema);
    if (cached != null) {
      return cached;
    }
    String text = SchemaText.canonical(schema);
    remember(canonicalTexts, schema, text);
    return text;
  }

  private static <K, V> void remember(Map<K, V> cache, K key, V value) {
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(key, value);
  }

  private record SubjectAndText(String subject, String text) {}

  private record CachedLatest(RegisteredSchema schema, long fetchedAtNanos) {}
}
