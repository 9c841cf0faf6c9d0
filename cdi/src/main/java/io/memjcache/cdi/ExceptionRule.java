package io.memjcache.cdi;

import java.util.List;

/**
 * Which exceptions an annotation's include/exclude lists (cachedExceptions/nonCachedExceptions,
 * cacheFor/noCacheFor, evictFor/noEvictFor) select. With both lists empty the answer is
 * {@code whenBothEmpty}: true for exception caching (every exception is cached), false for puts and
 * removals after invocation (every exception prevents them). Otherwise an exception is selected
 * when it is an instance of some included type (or nothing is included) and of no excluded type.
 */
record ExceptionRule(List<Class<? extends Throwable>> include, List<Class<? extends Throwable>> exclude,
    boolean whenBothEmpty) {

  ExceptionRule {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
  }

  static ExceptionRule of(Class<? extends Throwable>[] include, Class<? extends Throwable>[] exclude,
      boolean whenBothEmpty) {
    return new ExceptionRule(List.of(include), List.of(exclude), whenBothEmpty);
  }

  boolean selects(Throwable thrown) {
    if (include.isEmpty() && exclude.isEmpty()) {
      return whenBothEmpty;
    }
    return (include.isEmpty() || isInstance(include, thrown)) && !isInstance(exclude, thrown);
  }

  private static boolean isInstance(List<Class<? extends Throwable>> types, Throwable thrown) {
    for (Class<? extends Throwable> type : types) {
      if (type.isInstance(thrown)) {
        return true;
      }
    }
    return false;
  }
}
