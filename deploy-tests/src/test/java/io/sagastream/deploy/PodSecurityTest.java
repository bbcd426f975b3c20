package io.sagastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every pod of an overlay may do, and where its images come from. */
class PodSecurityTest {

  @Test
  void shouldAdmitEveryProductionPodUnderTheRestrictedPodSecurityStandard() {
    // given the production namespace, which enforces the restricted profile
    List<HasMetadata> objects = Kustomize.render("overlays/production");
    assertThat(Manifests.one(objects, Namespace.class, "sagastream").getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");

    // when
    List<String> violations = new ArrayList<>();
    for (Manifests.OwnedTemplate template : Manifests.podTemplates(objects)) {
      violations.addAll(restrictedViolations(template));
    }

    // then none of its pods would be refused
    assertThat(violations).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/production"})
  void shouldPinEveryImageByTag(String kustomization) {
    // given
    List<HasMetadata> objects = Kustomize.render(kustomization);

    // when
    List<String> images =
        Manifests.podTemplates(objects).stream()
            .flatMap(t -> t.template().getSpec().getContainers().stream())
            .map(Container::getImage)
            .toList();

    // then
    assertThat(images)
        .isNotEmpty()
        .allSatisfy(
            image -> {
              String tag = image.substring(image.lastIndexOf('/') + 1);
              assertThat(tag).as(image).contains(":").doesNotEndWith(":latest");
            });
  }

  /** The restricted profile's checks, for the fields these manifests could get wrong. */
  private static List<String> restrictedViolations(Manifests.OwnedTemplate owned) {
    List<String> violations = new ArrayList<>();
    PodSpec spec = owned.template().getSpec();
    String pod = owned.describe();
    boolean podNonRoot =
        spec.getSecurityContext() != null
            && Boolean.TRUE.equals(spec.getSecurityContext().getRunAsNonRoot());
    boolean podSeccomp =
        spec.getSecurityContext() != null
            && spec.getSecurityContext().getSeccompProfile() != null
            && List.of("RuntimeDefault", "Localhost")
                .contains(spec.getSecurityContext().getSeccompProfile().getType());
    if (Boolean.TRUE.equals(spec.getHostNetwork())
        || Boolean.TRUE.equals(spec.getHostPID())
        || Boolean.TRUE.equals(spec.getHostIPC())) {
      violations.add(pod + " shares a host namespace");
    }
    for (Volume volume : Manifests.nullToEmpty(spec.getVolumes())) {
      boolean allowed =
          volume.getEmptyDir() != null
              || volume.getConfigMap() != null
              || volume.getSecret() != null
              || volume.getPersistentVolumeClaim() != null
              || volume.getProjected() != null
              || volume.getDownwardAPI() != null
              || volume.getEphemeral() != null;
      if (!allowed) {
        violations.add(pod + " volume " + volume.getName() + " is of a type restricted forbids");
      }
    }
    List<Container> containers = new ArrayList<>(spec.getContainers());
    containers.addAll(Manifests.nullToEmpty(spec.getInitContainers()));
    for (Container container : containers) {
      String where = pod + " container " + container.getName();
      SecurityContext context = container.getSecurityContext();
      if (context == null) {
        violations.add(where + " has no securityContext");
        continue;
      }
      if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
        violations.add(where + " may escalate privileges");
      }
      if (Boolean.TRUE.equals(context.getPrivileged())) {
        violations.add(where + " is privileged");
      }
      if (context.getCapabilities() == null
          || !Manifests.nullToEmpty(context.getCapabilities().getDrop()).contains("ALL")) {
        violations.add(where + " does not drop ALL capabilities");
      } else if (Manifests.nullToEmpty(context.getCapabilities().getAdd()).stream()
          .anyMatch(c -> !c.equals("NET_BIND_SERVICE"))) {
        violations.add(where + " adds capabilities");
      }
      if (!podNonRoot && !Boolean.TRUE.equals(context.getRunAsNonRoot())) {
        violations.add(where + " may run as root");
      }
      if (Long.valueOf(0).equals(context.getRunAsUser())
          || (spec.getSecurityContext() != null
              && Long.valueOf(0).equals(spec.getSecurityContext().getRunAsUser()))) {
        violations.add(where + " runs as user 0");
      }
      boolean seccomp =
          podSeccomp
              || (context.getSeccompProfile() != null
                  && List.of("RuntimeDefault", "Localhost")
                      .contains(context.getSeccompProfile().getType()));
      if (!seccomp) {
        violations.add(where + " has no seccomp profile");
      }
    }
    return violations;
  }
}
