package dev.tinystatic.dependent;

import dev.tinystatic.api.TinyStaticSite;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The rolled Deployment and its content ConfigMap exist only while {@link Cutover} wants them:
 * otherwise JOSDK deletes them (an Atomic site's live revision serves instead).
 */
public class RollingDeploymentWanted implements Condition<HasMetadata, TinyStaticSite> {

  @Override
  public boolean isMet(
      DependentResource<HasMetadata, TinyStaticSite> dependent,
      TinyStaticSite site,
      Context<TinyStaticSite> context) {
    return Cutover.from(context).rollingDeployment();
  }
}
