package dev.tinystatic.deploy;

import dev.tinystatic.runtime.Permissions;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One verb on one resource (of one object, when {@code resourceNames} limits it): RBAC rules
 * flattened so that two lists of rules compare by what they allow, not by how they are grouped.
 */
record Grant(String apiGroup, String resource, String verb, List<String> resourceNames) {

  static Set<Grant> of(Collection<Permissions.Rule> rules) {
    return rules.stream()
        .flatMap(
            r -> r.verbs().stream().map(v -> new Grant(r.apiGroup(), r.resource(), v, List.of())))
        .collect(Collectors.toSet());
  }

  static Set<Grant> ofPolicy(Collection<PolicyRule> rules) {
    return rules.stream()
        .flatMap(
            r ->
                r.getApiGroups().stream()
                    .flatMap(
                        g ->
                            r.getResources().stream()
                                .flatMap(
                                    res ->
                                        r.getVerbs().stream()
                                            .map(
                                                v ->
                                                    new Grant(
                                                        g,
                                                        res,
                                                        v,
                                                        List.copyOf(r.getResourceNames()))))))
        .collect(Collectors.toSet());
  }
}
