package io.sagastream.deploy;

import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;

/**
 * A networking.k8s.io/v1 NetworkPolicy, with the fields the API has, for {@link KubernetesYaml}'s
 * strict reading: fabric8's networking model is not among this module's dependencies (the build
 * runs offline), and a policy read loosely would let a misspelt {@code podSelector} through, which
 * Kubernetes would refuse or, worse, read as selecting every pod.
 */
// fabric8's resources are read by kind through a registry of types, in which this class is not;
// read it as the bean it is instead, as fabric8's own typed classes are.
@JsonDeserialize(using = JsonDeserializer.None.class)
final class NetworkPolicy implements HasMetadata {

  static final String API_VERSION = "networking.k8s.io/v1";
  static final String KIND = "NetworkPolicy";

  private String apiVersion;
  private ObjectMeta metadata;
  private Spec spec;

  /** The policy's rules. */
  record Spec(
      LabelSelector podSelector,
      List<String> policyTypes,
      List<IngressRule> ingress,
      List<EgressRule> egress) {}

  /** Traffic allowed in: from any of {@code from} (anyone when absent) to any of {@code ports}. */
  record IngressRule(List<Peer> from, List<Port> ports) {}

  /** Traffic allowed out. */
  record EgressRule(List<Peer> to, List<Port> ports) {}

  /**
   * Pods, namespaces or addresses. A pod selector alone means pods of the policy's namespace; with
   * a namespace selector, such pods in such namespaces.
   */
  record Peer(LabelSelector podSelector, LabelSelector namespaceSelector, IpBlock ipBlock) {}

  record IpBlock(String cidr, List<String> except) {}

  /** A port by number or by the name of a container port. */
  record Port(String protocol, IntOrString port, Integer endPort) {}

  Spec getSpec() {
    return spec;
  }

  public void setSpec(Spec spec) {
    this.spec = spec;
  }

  @Override
  public ObjectMeta getMetadata() {
    return metadata;
  }

  @Override
  public void setMetadata(ObjectMeta metadata) {
    this.metadata = metadata;
  }

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  @Override
  public void setApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  @Override
  public String getKind() {
    return KIND;
  }

  public void setKind(String kind) {
    if (!KIND.equals(kind)) {
      throw new IllegalArgumentException("Not a " + KIND + ": " + kind);
    }
  }
}
