package io.sagastream.app;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.sagastream.engine.SagaStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Lists sagas across all nodes: this node's page and every other node's, merged in store-key order.
 * A node that does not answer is named in {@code unanswered}, so a partial list says it is partial.
 */
@Controller("/sagas")
class SagaListController {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  private static final Duration PEER_TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SagaListing listing;
  private final KeyRouting routing;
  private final Forwarder forwarder;

  SagaListController(SagaListing listing, KeyRouting routing, Forwarder forwarder) {
    this.listing = listing;
    this.routing = routing;
    this.forwarder = forwarder;
  }

  @Get
  HttpResponse<Map<String, Object>> list(
      @QueryValue Optional<String> status,
      @QueryValue Optional<String> definition,
      @QueryValue Optional<String> limit,
      @QueryValue Optional<String> cursor,
      @QueryValue Optional<String> keyPrefix,
      @QueryValue Optional<String> startedAfter,
      @QueryValue Optional<String> startedBefore,
      HttpRequest<?> request) {
    SagaListing.Filter filter =
        new SagaListing.Filter(
            status.map(SagaListController::status),
            definition,
            keyPrefix.filter(p -> !p.isEmpty()),
            startedAfter.map(t -> instant("startedAfter", t)),
            startedBefore.map(t -> instant("startedBefore", t)));
    int size = limit.map(SagaListController::limit).orElse(DEFAULT_LIMIT);
    Optional<String> after = cursor.map(SagaListController::decodeCursor);
    SagaListing.Page local = listing.local(filter, size, after);
    List<SagaListing.Page> pages = new ArrayList<>(List.of(local));
    List<String> unanswered = new ArrayList<>();
    if (!request.getHeaders().contains(Forwarder.FORWARDED)) {
      Map<HostInfo, CompletableFuture<String>> asked = new LinkedHashMap<>();
      for (HostInfo peer : routing.peers()) {
        asked.put(
            peer,
            forwarder.get(
                peer, request.getUri().toString(), PEER_TIMEOUT, Callers.passedOn(request)));
      }
      asked.forEach(
          (peer, answer) -> {
            try {
              pages.add(page(answer.join()));
            } catch (CompletionException | UncheckedIOException e) {
              unanswered.add(Forwarder.address(peer));
            }
          });
    }
    SagaListing.Page merged = SagaListing.merge(pages, size);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sagas", merged.sagas());
    // A page may hold fewer than its limit, or nothing, and still have a cursor: each partition's
    // scan stops after SagaListing.SCAN_BUDGET instances.
    body.put("nextCursor", merged.completeTo().map(SagaListController::encodeCursor).orElse(null));
    body.put("unreadable", merged.unreadable());
    body.put("unanswered", unanswered);
    body.put("partitions", merged.partitions());
    Set<Integer> missing = new TreeSet<>(listing.knownPartitions());
    missing.removeAll(merged.partitions());
    body.put("missingPartitions", missing);
    return HttpResponse.ok(body);
  }

  private static SagaListing.Page page(String json) {
    try {
      Map<String, Object> body = JSON.readValue(json, new TypeReference<>() {});
      Set<Integer> partitions = new TreeSet<>();
      if (body.get("partitions") instanceof List<?> listed) {
        listed.stream()
            .filter(Number.class::isInstance)
            .forEach(p -> partitions.add(((Number) p).intValue()));
      }
      Optional<String> completeTo =
          body.get("nextCursor") instanceof String cursor
              ? Optional.of(decodeCursor(cursor))
              : Optional.empty();
      return new SagaListing.Page(
          list(body, "sagas"), list(body, "unreadable"), partitions, completeTo);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (BadRequestException e) {
      // A peer's cursor this node cannot read: the peer counts as unanswered.
      throw new UncheckedIOException(new IOException(e.getMessage(), e));
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> body, String field) {
    Object list = body.get(field);
    return list == null ? List.of() : (List<Map<String, Object>>) list;
  }

  private static SagaStatus status(String text) {
    try {
      return SagaStatus.valueOf(text.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          "status",
          "status must be one of " + Arrays.toString(SagaStatus.values()) + ", not " + text);
    }
  }

  private static Instant instant(String parameter, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new BadRequestException(
          parameter,
          parameter + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, not " + text);
    }
  }

  private static int limit(String text) {
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new BadRequestException(
        "limit", "limit must be a whole number from 1 to " + MAX_LIMIT + ", not " + text);
  }

  static String encodeCursor(String storeKey) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(storeKey.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          "cursor", "cursor must be a nextCursor from an earlier page, not " + cursor);
    }
  }
}
