# The orchestrator node. Build the jar first, then from the repository root:
#   ./mvnw -pl orchestrator -am package -DskipTests
#   docker build -f deploy/docker/orchestrator.Dockerfile -t sagastream-orchestrator:0.1.0-SNAPSHOT .
# A JRE on Ubuntu (glibc, which RocksDB's native library needs), the fat jar, a non-root user and a
# state directory for Kafka Streams' RocksDB stores (mount a volume there: a persistent one in
# Kubernetes; docker-compose.yml keeps the anonymous one, which `down` gives up with Kafka's data).
# Java 25, the current long-term release (the whole test suite passes on it); the code itself
# stays at Java 17's level.
FROM eclipse-temurin:25.0.3_9-jre-noble

ARG UID=10001
# Temurin's images from Java 22 on carry no curl, and the health check below calls it.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid ${UID} sagastream \
 && useradd --system --uid ${UID} --gid sagastream --home-dir /app --no-create-home sagastream \
 && mkdir -p /app /var/lib/sagastream/state \
 && chown -R ${UID}:${UID} /var/lib/sagastream

COPY orchestrator/target/sagastream-orchestrator.jar /app/sagastream-orchestrator.jar

ENV SAGASTREAM_STATE_DIR=/var/lib/sagastream/state \
    MICRONAUT_SERVER_PORT=8080 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=40.0 -XX:+ExitOnOutOfMemoryError"

VOLUME ["/var/lib/sagastream/state"]
EXPOSE 8080
USER 10001:10001
WORKDIR /app

HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["curl", "-fsS", "http://localhost:8080/health/liveness"]

ENTRYPOINT ["java", "-jar", "/app/sagastream-orchestrator.jar"]
