package dev.tinystatic.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The rolled Deployment and its content ConfigMap exist only while {@link Cutover} wants them:
 * otherwise JOSDK deletes them (an Atomic site's live revision serves instead).
 */
public class RollingDeploymentWanted extends SiteCondition<HasMetadata> {

  public RollingDeploymentWanted() {
    super((site, context) -> Cutover.from(context).rollingDeployment());
  }
}
