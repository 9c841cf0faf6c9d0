package io.memjcache.cdi;

import jakarta.enterprise.context.Dependent;

/** Injected into {@link PrefixedKeys}. */
@Dependent
public class KeyPrefix {
  public String value() {
    return "bean:";
  }
}
