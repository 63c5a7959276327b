package dev.tinystatic.dependent;

import dev.tinystatic.api.TinyStaticSite;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.util.function.BiPredicate;

/**
 * A workflow condition decided by the site (and what this reconcile knows of it), whatever the
 * dependent: JOSDK creates it by class, so each condition is a subclass with a no-argument
 * constructor that passes the test.
 */
public abstract class SiteCondition<R> implements Condition<R, TinyStaticSite> {

  private final BiPredicate<TinyStaticSite, Context<TinyStaticSite>> test;

  protected SiteCondition(BiPredicate<TinyStaticSite, Context<TinyStaticSite>> test) {
    this.test = test;
  }

  @Override
  public final boolean isMet(
      DependentResource<R, TinyStaticSite> dependent,
      TinyStaticSite site,
      Context<TinyStaticSite> context) {
    return test.test(site, context);
  }
}
