package dev.tinystatic.api;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.lang.reflect.Field;

/**
 * Checks a spec against the {@code @Min}/{@code @Max} limits its fields carry: the very limits the
 * CRD's schema is generated from, for tools that validate a site without an API server.
 */
public final class SpecLimits {

  private SpecLimits() {}

  /**
   * @throws IllegalArgumentException naming the field, its value and its limit
   */
  public static void check(TinyStaticSiteSpec spec) {
    checkFields(spec, "spec");
    if (spec.getService() != null) {
      checkFields(spec.getService(), "spec.service");
    }
  }

  private static void checkFields(Object object, String prefix) {
    for (Field field : object.getClass().getDeclaredFields()) {
      Min min = field.getAnnotation(Min.class);
      Max max = field.getAnnotation(Max.class);
      if (min == null && max == null) {
        continue;
      }
      Number value = valueOf(field, object);
      if (value == null) {
        continue;
      }
      if (min != null && value.doubleValue() < min.value()) {
        throw new IllegalArgumentException(
            prefix
                + "."
                + field.getName()
                + " is "
                + value
                + "; it must be at least "
                + (long) min.value());
      }
      if (max != null && value.doubleValue() > max.value()) {
        throw new IllegalArgumentException(
            prefix
                + "."
                + field.getName()
                + " is "
                + value
                + "; it must be at most "
                + (long) max.value());
      }
    }
  }

  private static Number valueOf(Field field, Object object) {
    try {
      field.setAccessible(true);
      return (Number) field.get(object);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
