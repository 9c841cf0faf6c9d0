package io.memjcache.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Predicate;

/**
 * Defines its own copy of the classes {@code isolated} accepts (child-first, from the parent's
 * class files) and delegates everything else: a stand-in for an application's class loader.
 */
public final class IsolatingClassLoader extends ClassLoader {
  private final Predicate<String> isolated;

  public IsolatingClassLoader(ClassLoader parent, Predicate<String> isolated) {
    super("isolating", parent);
    this.isolated = isolated;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!isolated.test(name)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = getParent().getResourceAsStream(resource)) {
          if (in == null) {
            throw new ClassNotFoundException(name);
          }
          byte[] bytes = in.readAllBytes();
          loaded = defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }
}
