package io.sagastream.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.ReadableBytes;
import io.sagastream.codec.InstanceCodec;
import io.sagastream.topology.BoundedStoreMemory;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The node's settings, under {@code sagastream.*} (environment variables {@code SAGASTREAM_*});
 * Kafka Streams settings beyond these go under {@code kafka.streams.default.*}.
 */
@ConfigurationProperties("sagastream")
public class OrchestratorSettings {

  private String applicationId = "sagastream";
  private String bootstrapServers = "localhost:9092";
  private String schemaRegistryUrl = "http://localhost:8081/apis/ccompat/v7";
  private String topicPrefix = "";
  private int partitions = 6;
  private short replicationFactor = 1;
  private boolean createTopics = true;
  private Path stateDir = Path.of(System.getProperty("java.io.tmpdir"), "sagastream-state");
  private Duration timerInterval = Duration.ofMillis(100);
  private int standbyReplicas = 1;
  private String groupInstanceId = "";
  private Duration shutdownTimeout = Duration.ofSeconds(30);
  private boolean handOffOnShutdown = true;
  private Duration recoveryInterval = Duration.ofSeconds(30);
  private Duration peerLease = Duration.ofMillis(250);
  private Duration peerUnresponsiveLease = Duration.ofSeconds(6);
  private Duration peerCheckInterval = Duration.ofMillis(100);
  private Duration recoveryAge = Duration.ofMinutes(5);
  private Duration endedRetention = Duration.ofDays(7);
  private InstanceCodec.Format instanceFormat = InstanceCodec.Format.BINARY;
  private int maxDefinitionSize = 256 * 1024;
  private String schemaRegistryBasicAuthUserInfo = "";
  private String schemaRegistryBearerToken = "";
  private String schemaRegistryTrustStore = "";
  private String schemaRegistryTrustStorePassword = "";
  private String schemaRegistryTrustStoreType = "PKCS12";
  private Duration schemaRegistryTimeout = Duration.ofSeconds(2);
  private int maxWaitingStarts = 256;
  private long storeMemory = BoundedStoreMemory.DEFAULT_BYTES;

  public String getApplicationId() {
    return applicationId;
  }

  public void setApplicationId(String applicationId) {
    this.applicationId = applicationId;
  }

  public String getBootstrapServers() {
    return bootstrapServers;
  }

  public void setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  public String getSchemaRegistryUrl() {
    return schemaRegistryUrl;
  }

  public void setSchemaRegistryUrl(String schemaRegistryUrl) {
    this.schemaRegistryUrl = schemaRegistryUrl;
  }

  public String getTopicPrefix() {
    return topicPrefix;
  }

  public void setTopicPrefix(String topicPrefix) {
    this.topicPrefix = topicPrefix;
  }

  public int getPartitions() {
    return partitions;
  }

  public void setPartitions(int partitions) {
    this.partitions = partitions;
  }

  public short getReplicationFactor() {
    return replicationFactor;
  }

  public void setReplicationFactor(short replicationFactor) {
    this.replicationFactor = replicationFactor;
  }

  public boolean isCreateTopics() {
    return createTopics;
  }

  public void setCreateTopics(boolean createTopics) {
    this.createTopics = createTopics;
  }

  public Path getStateDir() {
    return stateDir;
  }

  public void setStateDir(Path stateDir) {
    this.stateDir = stateDir;
  }

  public Duration getTimerInterval() {
    return timerInterval;
  }

  public void setTimerInterval(Duration timerInterval) {
    this.timerInterval = timerInterval;
  }

  public int getStandbyReplicas() {
    return standbyReplicas;
  }

  public void setStandbyReplicas(int standbyReplicas) {
    this.standbyReplicas = standbyReplicas;
  }

  /**
   * Static membership: a node that keeps its id across restarts gets its partitions back without a
   * rebalance when it comes back from a crash in time; a SIGTERM still hands them to their standbys
   * unless {@link #isHandOffOnShutdown()} is off. Empty for dynamic membership.
   */
  public String getGroupInstanceId() {
    return groupInstanceId;
  }

  public void setGroupInstanceId(String groupInstanceId) {
    this.groupInstanceId = groupInstanceId;
  }

  /**
   * Whether a static member leaves the group when it shuts down, so that its standbys take its
   * partitions over within a second or two, instead of keeping them paused until it is back (a
   * rolling restart then pauses each node's partitions for its whole restart). Dynamic members
   * always leave.
   */
  public boolean isHandOffOnShutdown() {
    return handOffOnShutdown;
  }

  public void setHandOffOnShutdown(boolean handOffOnShutdown) {
    this.handOffOnShutdown = handOffOnShutdown;
  }

  /** How long a shutdown may take to commit and close the stores. */
  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  public void setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  /**
   * How often each task scans its instances for ones that made no progress (and counts them for the
   * instance gauges).
   */
  public Duration getRecoveryInterval() {
    return recoveryInterval;
  }

  public void setRecoveryInterval(Duration recoveryInterval) {
    this.recoveryInterval = recoveryInterval;
  }

  /** How long an instance goes without progress before the recovery scan re-drives it. */
  public Duration getRecoveryAge() {
    return recoveryAge;
  }

  public void setRecoveryAge(Duration recoveryAge) {
    this.recoveryAge = recoveryAge;
  }

  public Duration getEndedRetention() {
    return endedRetention;
  }

  public void setEndedRetention(Duration endedRetention) {
    this.endedRetention = endedRetention;
  }

  /**
   * How instances are written to the instance store; either format is read. JSON is for a rolling
   * upgrade from a build that reads only JSON: set it while such nodes may still take tasks over.
   */
  public InstanceCodec.Format getInstanceFormat() {
    return instanceFormat;
  }

  public void setInstanceFormat(InstanceCodec.Format instanceFormat) {
    this.instanceFormat = instanceFormat;
  }

  /**
   * How long a peer whose port refuses connections (its process is gone) may stay so before a
   * survivor takes it out of the group and fences its transaction, so that its partitions move at
   * once (static membership only; zero turns peer watching off).
   */
  public Duration getPeerLease() {
    return peerLease;
  }

  public void setPeerLease(Duration peerLease) {
    this.peerLease = peerLease;
  }

  /**
   * How long a peer may leave questions unanswered (timeouts, not refusals) before a survivor takes
   * it over. Longer than {@link #getPeerLease()}: a port that refuses connections means the process
   * is gone, while a slow answer may come from a busy node that is still working.
   */
  public Duration getPeerUnresponsiveLease() {
    return peerUnresponsiveLease;
  }

  public void setPeerUnresponsiveLease(Duration peerUnresponsiveLease) {
    this.peerUnresponsiveLease = peerUnresponsiveLease;
  }

  /** How often a node asks its peers whether they are alive. */
  public Duration getPeerCheckInterval() {
    return peerCheckInterval;
  }

  public void setPeerCheckInterval(Duration peerCheckInterval) {
    this.peerCheckInterval = peerCheckInterval;
  }

  /**
   * The largest definition document {@code POST /definitions} accepts, in bytes (a request body is
   * also bounded by {@code micronaut.server.max-request-size}).
   */
  public int getMaxDefinitionSize() {
    return maxDefinitionSize;
  }

  public void setMaxDefinitionSize(int maxDefinitionSize) {
    this.maxDefinitionSize = maxDefinitionSize;
  }

  /**
   * {@code user:password} for the registry's HTTP basic auth (Confluent's basic.auth.user.info).
   */
  public String getSchemaRegistryBasicAuthUserInfo() {
    return schemaRegistryBasicAuthUserInfo;
  }

  public void setSchemaRegistryBasicAuthUserInfo(String schemaRegistryBasicAuthUserInfo) {
    this.schemaRegistryBasicAuthUserInfo = schemaRegistryBasicAuthUserInfo;
  }

  /** A static bearer token for the registry (Confluent's bearer.auth.token). */
  public String getSchemaRegistryBearerToken() {
    return schemaRegistryBearerToken;
  }

  public void setSchemaRegistryBearerToken(String schemaRegistryBearerToken) {
    this.schemaRegistryBearerToken = schemaRegistryBearerToken;
  }

  /** A trust store for the registry's HTTPS certificate, instead of the JDK's trusted roots. */
  public String getSchemaRegistryTrustStore() {
    return schemaRegistryTrustStore;
  }

  public void setSchemaRegistryTrustStore(String schemaRegistryTrustStore) {
    this.schemaRegistryTrustStore = schemaRegistryTrustStore;
  }

  public String getSchemaRegistryTrustStorePassword() {
    return schemaRegistryTrustStorePassword;
  }

  public void setSchemaRegistryTrustStorePassword(String schemaRegistryTrustStorePassword) {
    this.schemaRegistryTrustStorePassword = schemaRegistryTrustStorePassword;
  }

  /** PKCS12 or JKS. */
  public String getSchemaRegistryTrustStoreType() {
    return schemaRegistryTrustStoreType;
  }

  public void setSchemaRegistryTrustStoreType(String schemaRegistryTrustStoreType) {
    this.schemaRegistryTrustStoreType = schemaRegistryTrustStoreType;
  }

  /**
   * How long one registry call may take to connect, and then to be answered. A stream thread calls
   * the registry inside its transaction, with up to 3 retries, so four of these stay under Kafka
   * Streams' transaction timeout (10 s) for a registry that hangs rather than refuses.
   */
  public Duration getSchemaRegistryTimeout() {
    return schemaRegistryTimeout;
  }

  public void setSchemaRegistryTimeout(Duration schemaRegistryTimeout) {
    this.schemaRegistryTimeout = schemaRegistryTimeout;
  }

  /**
   * How many {@code POST /sagas?wait=} calls may wait at once; one more is answered 202 at once, as
   * if its wait were over, since each waiting call holds a thread and polls the store.
   */
  public int getMaxWaitingStarts() {
    return maxWaitingStarts;
  }

  public void setMaxWaitingStarts(int maxWaitingStarts) {
    this.maxWaitingStarts = maxWaitingStarts;
  }

  /**
   * The off-heap memory all of the node's RocksDB stores share (block cache and memtables), such as
   * {@code 256MB} or {@code 1GB}: the node's native memory no longer grows with its tasks. Leave
   * the container room beside it and the heap for Netty, thread stacks and metaspace.
   */
  public long getStoreMemory() {
    return storeMemory;
  }

  public void setStoreMemory(@ReadableBytes long storeMemory) {
    this.storeMemory = storeMemory;
  }
}
