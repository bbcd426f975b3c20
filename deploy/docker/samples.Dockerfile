# The sample participants (inventory, payment, shipping) in one process. Build the jar first
# (the samples module), then from the repository root:
#   docker build -f deploy/docker/samples.Dockerfile -t sagastream-samples:0.1.0-SNAPSHOT .
# They read SAGASTREAM_BOOTSTRAP_SERVERS, SAGASTREAM_SCHEMA_REGISTRY_URL and the SAMPLES_* faults.
FROM eclipse-temurin:25.0.3_9-jre-noble

ARG UID=10001
RUN groupadd --system --gid ${UID} sagastream \
 && useradd --system --uid ${UID} --gid sagastream --home-dir /app --no-create-home sagastream \
 && mkdir -p /app

COPY samples/target/sagastream-samples.jar /app/sagastream-samples.jar

ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60.0 -XX:+ExitOnOutOfMemoryError"

USER 10001:10001
WORKDIR /app

# The main class by name, whether or not the jar's manifest names one.
ENTRYPOINT ["java", "-cp", "/app/sagastream-samples.jar", "io.sagastream.samples.SampleParticipants"]
