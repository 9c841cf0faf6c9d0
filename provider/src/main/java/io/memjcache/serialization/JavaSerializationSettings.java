package io.memjcache.serialization;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What Java deserialization may create: the classes allowed beyond the built-in defaults, as
 * {@link ObjectInputFilter.Config#createFilter ObjectInputFilter patterns}, and limits on the shape
 * of a stream. Bytes read from memcached are untrusted, so a class that matches no allowed pattern
 * is rejected before any of its code (static initializer, constructor, {@code readObject}) runs.
 *
 * <p>The full filter, see {@link #filterPattern()}, is evaluated first match wins, in this order:
 * {@link #DENIED_PATTERNS} (known deserialization gadget packages, which no user pattern can
 * re-enable, however broad), then {@link #allowedPatterns()} in their order (so a user pattern such
 * as {@code "!com.example.Secret"} may also reject a class), then {@link #DEFAULT_ALLOWED_PATTERNS},
 * and finally {@code "!*"}: everything else is rejected. Arrays are judged by their element type;
 * arrays of primitives are allowed. Dynamic proxies are always rejected. The deny list is defence
 * in depth, not a complete catalogue: keep the allowed patterns as narrow as the data model.
 *
 * @param allowedPatterns patterns of classes allowed in addition to the defaults, such as
 *     {@code "com.example.domain.**"} (package and subpackages), {@code "com.example.dto.*"}
 *     (one package), {@code "com.example.Name*"} (prefix) or an exact class name
 * @param maxDepth the deepest nesting of objects in a stream
 * @param maxReferences the most objects and back-references in a stream
 * @param maxBytes the most bytes one stream may consume
 * @param maxArrayLength the longest array; an array is also never longer than the payload could
 *     hold (for a primitive array, its size in bytes must fit in the payload), so a short payload
 *     cannot declare a huge array and make the reader allocate it
 */
public record JavaSerializationSettings(
    List<String> allowedPatterns, int maxDepth, long maxReferences, long maxBytes, int maxArrayLength) {

  /** The classes always allowed: value types and collections of the JDK. */
  public static final List<String> DEFAULT_ALLOWED_PATTERNS = List.of(
      // java.lang: boxed primitives and their superclasses; Object only ever as an array's
      // element type (a plain Object is not serializable), because collections check Object[].
      "java.lang.Boolean", "java.lang.Byte", "java.lang.Character", "java.lang.Short",
      "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
      "java.lang.Number", "java.lang.String", "java.lang.Enum", "java.lang.Object",
      "java.lang.String$CaseInsensitiveComparator",
      "java.math.BigInteger", "java.math.BigDecimal",
      // java.time writes every type through serial proxies (java.time.Ser, java.time.chrono.Ser...).
      "java.time.**",
      "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.Arrays$ArrayList",
      "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.EnumMap",
      "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
      // EnumSet writes a proxy whose readResolve returns one of its two implementations.
      "java.util.EnumSet$SerializationProxy", "java.util.RegularEnumSet", "java.util.JumboEnumSet",
      "java.util.Map$Entry", "java.util.AbstractMap$SimpleEntry", "java.util.AbstractMap$SimpleImmutableEntry",
      // List.of, Set.of, Map.of write a java.util.CollSer proxy.
      "java.util.ImmutableCollections$*", "java.util.CollSer",
      "java.util.Collections$Unmodifiable*", "java.util.Collections$Synchronized*",
      "java.util.Collections$Empty*", "java.util.Collections$Singleton*",
      "java.util.Collections$ReverseComparator*",
      "java.util.Date", "java.util.UUID", "java.util.Locale",
      // Not ConcurrentHashMap: its serial form drags in ReentrantLock and its synchronizers.
      "java.util.concurrent.CopyOnWriteArrayList");

  /**
   * Known gadget packages and classes, rejected whatever the allowed patterns say. Includes
   * {@code java.lang.invoke} (serialized lambdas call back into their capturing class),
   * {@code java.rmi}, JNDI, JMX and the libraries of public gadget chains.
   */
  public static final List<String> DENIED_PATTERNS = List.of(
      "!org.apache.commons.collections.functors.*", "!org.apache.commons.collections4.functors.*",
      "!org.apache.commons.beanutils.**", "!org.apache.commons.fileupload.**",
      "!org.apache.xalan.**", "!com.sun.org.apache.xalan.**", "!com.sun.org.apache.bcel.**",
      "!org.apache.wicket.util.upload.**", "!org.apache.myfaces.**",
      "!com.sun.rowset.**", "!com.sun.jndi.**", "!javax.naming.**", "!javax.management.**",
      "!java.rmi.**", "!sun.rmi.**", "!sun.reflect.**", "!java.lang.invoke.**", "!java.lang.reflect.**",
      "!javax.script.**", "!java.net.URL", "!java.net.InetAddress", "!java.beans.**",
      "!org.codehaus.groovy.runtime.**", "!groovy.lang.**", "!bsh.**", "!clojure.**",
      "!org.python.core.**", "!org.mozilla.javascript.**",
      "!org.springframework.beans.factory.**", "!org.springframework.aop.**",
      "!org.springframework.transaction.jta.**",
      "!com.mchange.v2.c3p0.**", "!org.hibernate.engine.**", "!org.hibernate.tuple.**",
      "!org.hibernate.property.**", "!com.sun.syndication.**", "!com.rometools.rome.feed.impl.**",
      "!net.sf.json.**", "!org.jboss.interceptor.**", "!org.jboss.weld.interceptor.**",
      "!com.vaadin.data.util.**", "!org.apache.tomcat.dbcp.**", "!org.apache.commons.dbcp.**");

  /**
   * No extra classes; depth 20, a million references, 64 MiB, arrays up to ten million. The depth
   * bound is low on purpose: nested hash collections make reading cost grow as 2^depth (a classic
   * denial of service with a few hundred bytes), so a deeper limit lets planted data stall a reader.
   */
  public static final JavaSerializationSettings DEFAULTS =
      new JavaSerializationSettings(List.of(), 20, 1_000_000L, 64L * 1024 * 1024, 10_000_000);

  public JavaSerializationSettings {
    Objects.requireNonNull(allowedPatterns, "allowedPatterns");
    allowedPatterns = List.copyOf(allowedPatterns);
    for (String pattern : allowedPatterns) {
      checkPattern(pattern);
    }
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be at least 1, was " + maxDepth);
    }
    if (maxReferences < 1) {
      throw new IllegalArgumentException("maxReferences must be at least 1, was " + maxReferences);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be at least 1, was " + maxBytes);
    }
    if (maxArrayLength < 0) {
      throw new IllegalArgumentException("maxArrayLength must not be negative, was " + maxArrayLength);
    }
  }

  /** These settings with {@code patterns} appended to the allowed patterns. */
  public JavaSerializationSettings withAllowedPatterns(String... patterns) {
    List<String> all = new ArrayList<>(allowedPatterns);
    all.addAll(List.of(patterns));
    return new JavaSerializationSettings(all, maxDepth, maxReferences, maxBytes, maxArrayLength);
  }

  /**
   * These settings also allowing exactly the given classes (not their subclasses); an array class
   * allows its element type. {@code Object} and primitive types add nothing.
   */
  public JavaSerializationSettings withAllowedClasses(Class<?>... classes) {
    List<String> all = new ArrayList<>(allowedPatterns);
    for (Class<?> type : classes) {
      Class<?> element = type;
      while (element.isArray()) {
        element = element.getComponentType();
      }
      if (element != Object.class && !element.isPrimitive() && !all.contains(element.getName())) {
        all.add(element.getName());
      }
    }
    return new JavaSerializationSettings(all, maxDepth, maxReferences, maxBytes, maxArrayLength);
  }

  /** These settings with other limits. */
  public JavaSerializationSettings withLimits(int maxDepth, long maxReferences, long maxBytes, int maxArrayLength) {
    return new JavaSerializationSettings(allowedPatterns, maxDepth, maxReferences, maxBytes, maxArrayLength);
  }

  /**
   * The complete filter in {@link ObjectInputFilter.Config#createFilter} syntax: limits, denied
   * patterns, allowed patterns, defaults, then {@code !*}. Useful to log or compare configurations.
   */
  public String filterPattern() {
    StringBuilder pattern = new StringBuilder(2048)
        .append("maxdepth=").append(maxDepth)
        .append(";maxrefs=").append(maxReferences)
        .append(";maxbytes=").append(maxBytes)
        .append(";maxarray=").append(maxArrayLength);
    for (List<String> group : List.of(DENIED_PATTERNS, allowedPatterns, DEFAULT_ALLOWED_PATTERNS)) {
      for (String p : group) {
        pattern.append(';').append(p);
      }
    }
    return pattern.append(";!*").toString();
  }

  private static void checkPattern(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    if (pattern.isBlank() || pattern.indexOf(';') >= 0 || pattern.indexOf('=') >= 0
        || !pattern.equals(pattern.strip())) {
      throw new IllegalArgumentException(
          "not a single class pattern (limits have their own settings): '" + pattern + "'");
    }
    // Let the JDK parse it now, so a typo fails at configuration time rather than on first read.
    ObjectInputFilter.Config.createFilter(pattern);
  }
}
