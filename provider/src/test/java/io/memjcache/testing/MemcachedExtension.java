package io.memjcache.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstantiationAwareExtension;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension behind {@link MemcachedTest}: starts the cluster before the annotated class's
 * (or method's) first test, keeps it in that context's store, which closes it when the context
 * ends, and resolves {@link MemcachedCluster} and {@link MemcachedServer} parameters.
 */
public final class MemcachedExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver, TestInstantiationAwareExtension {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(MemcachedExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    owner(context).ifPresent(MemcachedExtension::cluster);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    owner(context).ifPresent(MemcachedExtension::cluster);
  }

  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
    return ExtensionContextScope.TEST_METHOD;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return (type == MemcachedCluster.class || type == MemcachedServer.class) && owner(context).isPresent();
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    MemcachedCluster cluster = cluster(owner(context).orElseThrow());
    return parameter.getParameter().getType() == MemcachedServer.class ? cluster.node(0) : cluster;
  }

  /** The cluster of the test's context, e.g. for a static field set in {@code @BeforeAll}. */
  public static MemcachedCluster clusterOf(ExtensionContext context) {
    return cluster(owner(context).orElseThrow(() -> new ExtensionConfigurationException(
        "no @MemcachedTest on " + context.getDisplayName() + " or its enclosing classes")));
  }

  /** The nearest context, from this one outwards, whose method or class carries the annotation. */
  private static Optional<ExtensionContext> owner(ExtensionContext context) {
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      Optional<AnnotatedElement> element = c.getElement();
      if (element.isPresent() && AnnotationSupport.isAnnotated(element.get(), MemcachedTest.class)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private static MemcachedCluster cluster(ExtensionContext owner) {
    // The store closes the cluster (an AutoCloseable) when the owner's context ends. Stores see
    // their parents' entries, so the key names the owner: an inner owner must not get the outer's.
    return owner.getStore(NAMESPACE)
        .getOrComputeIfAbsent(owner.getUniqueId(), key -> start(owner), MemcachedCluster.class);
  }

  private static MemcachedCluster start(ExtensionContext owner) {
    MemcachedTest spec = AnnotationSupport.findAnnotation(owner.getElement(), MemcachedTest.class)
        .orElseThrow();
    if (spec.nodes() < 1) {
      throw new ExtensionConfigurationException("@MemcachedTest(nodes) must be at least 1");
    }
    return MemcachedCluster.start(spec.nodes(), options(spec));
  }

  static ServerOptions options(MemcachedTest spec) {
    ServerOptions base;
    try {
      base = spec.options().getDeclaredConstructor().newInstance().get();
    } catch (ReflectiveOperationException e) {
      throw new ExtensionConfigurationException("cannot create " + spec.options().getName()
          + " (it needs a public no-argument constructor)", e);
    }
    ServerOptions.Builder b = base.toBuilder();
    if (spec.memoryMb() > 0) {
      b.memoryMb(spec.memoryMb());
    }
    if (spec.threads() > 0) {
      b.threads(spec.threads());
    }
    if (!spec.maxItemSize().isEmpty()) {
      b.maxItemSize(spec.maxItemSize());
    }
    if (spec.maxConnections() > 0) {
      b.maxConnections(spec.maxConnections());
    }
    if (spec.verbose()) {
      b.verbose(true);
    }
    b.extraArgs(spec.extraArgs());
    return b.build();
  }
}
