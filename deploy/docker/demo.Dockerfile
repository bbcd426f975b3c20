# The demo launcher, for docker-compose.yml's `demo` profile. Build the jar first (the demo module),
# then `docker compose --profile demo up demo`.
FROM eclipse-temurin:25.0.3_9-jre-noble

ARG UID=10001
RUN groupadd --system --gid ${UID} sagastream \
 && useradd --system --uid ${UID} --gid sagastream --home-dir /app --no-create-home sagastream \
 && mkdir -p /app

COPY demo-launcher/target/sagastream-demo.jar /app/sagastream-demo.jar

USER 10001:10001
WORKDIR /app

ENTRYPOINT ["java", "-jar", "/app/sagastream-demo.jar"]
