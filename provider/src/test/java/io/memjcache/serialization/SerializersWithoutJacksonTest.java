package io.memjcache.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;

/** Jackson is optional: everything but JSON must load and work without it on the class path. */
class SerializersWithoutJacksonTest {

  @Test
  void serializers_withoutJackson_workExceptJson() throws Exception {
    URL classes = Serializers.class.getProtectionDomain().getCodeSource().getLocation();
    URL cacheApi = CacheException.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes, cacheApi}, ClassLoader.getPlatformClassLoader())) {
      assertThrows(ClassNotFoundException.class, () -> loader.loadClass("com.fasterxml.jackson.databind.ObjectMapper"));
      Class<?> serializers = loader.loadClass(Serializers.class.getName());
      Class<?> serializer = loader.loadClass(Serializer.class.getName());
      Method serialize = serializer.getMethod("serialize", Object.class);
      Method deserialize = serializer.getMethod("deserialize", byte[].class);

      Object strings = serializers.getMethod("string").invoke(null);
      byte[] bytes = (byte[]) serialize.invoke(strings, "hé");
      assertArrayEquals("hé".getBytes(StandardCharsets.UTF_8), bytes);

      Object java = serializers.getMethod("forType", Class.class, ClassLoader.class).invoke(null, Object.class, loader);
      assertEquals(List.of(1, 2), deserialize.invoke(java, serialize.invoke(java, List.of(1, 2))));

      Method json = serializers.getMethod("json", Class.class);
      InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> json.invoke(null, String.class));
      assertInstanceOf(IllegalStateException.class, e.getCause());
    }
  }
}
