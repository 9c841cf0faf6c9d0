package io.memjcache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.memjcache.testing.IsolatingClassLoader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * In an application server, memjcache's classes come from the application's class loader while the
 * threads that call it (request threads) belong to the server and outlive the application. A
 * per-thread value of one of memjcache's own classes keeps that class, and so the whole
 * application's class loader, reachable from the thread after the application is undeployed. The
 * per-thread state on the paths callers run must therefore be held in JDK types only. This test
 * loads memjcache's classes in a class loader of their own, runs those paths on this (long-lived)
 * thread, drops the loader and checks that it is collected.
 */
class ThreadLocalLeakTest {

  @Test
  void perThreadState_ofKeyHashingAndFrameComparison_doesNotKeepTheApplicationsClassLoader() throws Exception {
    WeakReference<ClassLoader> loader = useInAnApplication();
    for (int i = 0; i < 50 && loader.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertNull(loader.get(), "a thread-local value of memjcache's own classes keeps the application's class loader");
  }

  /** Runs the per-thread paths through classes of a fresh loader on this thread; returns the loader, weakly. */
  private static WeakReference<ClassLoader> useInAnApplication() throws Exception {
    ClassLoader application = new IsolatingClassLoader(ThreadLocalLeakTest.class.getClassLoader(),
        name -> name.startsWith("io.memjcache."));
    byte[] key = "some-key".getBytes(StandardCharsets.UTF_8);

    Class<?> ketama = application.loadClass("io.memjcache.internal.cluster.KetamaContinuum");
    assertEquals(application, ketama.getClassLoader());
    Method keyHash = ketama.getMethod("keyHash", byte[].class);
    assertEquals(io.memjcache.internal.cluster.KetamaContinuum.keyHash(key), keyHash.invoke(null, (Object) key));

    Class<?> frames = application.loadClass("io.memjcache.internal.protocol.Frames");
    Method regionEquals = frames.getMethod("regionEquals", ByteBuf.class, int.class, byte[].class, int.class, int.class);
    ByteBuf buf = Unpooled.wrappedBuffer(key);
    assertEquals(true, regionEquals.invoke(null, buf, 0, key, 0, key.length));
    buf.release();

    return new WeakReference<>(application);
  }
}
