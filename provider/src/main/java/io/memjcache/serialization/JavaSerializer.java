package io.memjcache.serialization;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.Map;
import java.util.Objects;

/**
 * Java serialization whose reads pass through an allow-list {@link ObjectInputFilter} and resolve
 * classes through the cache's class loader, never the thread's or the caller's.
 */
final class JavaSerializer<T> implements Serializer<T> {
  private static final Map<String, Class<?>> PRIMITIVES = Map.of(
      "boolean", boolean.class, "byte", byte.class, "char", char.class, "short", short.class,
      "int", int.class, "long", long.class, "float", float.class, "double", double.class,
      "void", void.class);

  /** Reference arrays the JDK collections size from a count: a hash table is at most 8x its size. */
  private static final long REFERENCE_ARRAY_SLACK_FACTOR = 8;

  private final Class<?> type;
  private final ClassLoader classLoader;
  private final JavaSerializationSettings settings;
  private final ObjectInputFilter filter;

  JavaSerializer(Class<?> type, ClassLoader classLoader, JavaSerializationSettings settings) {
    this.type = type.isPrimitive() ? Object.class : type;
    this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    this.settings = Objects.requireNonNull(settings, "settings");
    ObjectInputFilter own = ObjectInputFilter.Config.createFilter(settings.filterPattern());
    // A JVM-wide filter (jdk.serialFilter) still applies: either filter can reject.
    ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
    this.filter = global == null ? own : ObjectInputFilter.merge(own, global);
  }

  JavaSerializationSettings settings() {
    return settings;
  }

  @Override
  public byte[] serialize(T value) {
    Objects.requireNonNull(value, "value");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException | RuntimeException e) {
      // a writeObject that throws is the value's failure to serialize, reported like any other
      throw new SerializationException("cannot serialize a " + value.getClass().getName() + ": " + e, e);
    }
    return bytes.toByteArray();
  }

  @Override
  public T deserialize(byte[] bytes) {
    return deserialize(bytes, 0, bytes.length);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    Object value;
    try (FilteredInputStream in = new FilteredInputStream(
        new ByteArrayInputStream(bytes, offset, length), classLoader, payloadFilter(length))) {
      value = in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new SerializationException("cannot deserialize: " + e, e);
    } catch (RuntimeException e) {
      // readObject of an allowed JDK class may still fail on hostile field values.
      throw new SerializationException("cannot deserialize: " + e, e);
    }
    if (!type.isInstance(value)) {
      throw new SerializationException("deserialized a " + (value == null ? "null" : value.getClass().getName())
          + " where a " + type.getName() + " was expected");
    }
    return (T) value;
  }

  @Override
  public int formatId() {
    return FORMAT_JAVA;
  }

  @Override
  public String toString() {
    return "Serializers.java(" + type.getName() + ", " + settings.allowedPatterns() + ")";
  }

  /** The configured filter plus: no array longer than a payload of this size could fill. */
  private ObjectInputFilter payloadFilter(int payloadLength) {
    return info -> {
      Class<?> serialClass = info.serialClass();
      long arrayLength = info.arrayLength();
      if (serialClass != null && serialClass.isArray() && arrayLength >= 0) {
        Class<?> component = serialClass.getComponentType();
        long limit = component.isPrimitive()
            ? payloadLength / primitiveSize(component)
            : REFERENCE_ARRAY_SLACK_FACTOR * payloadLength + 16;
        if (arrayLength > limit) {
          return ObjectInputFilter.Status.REJECTED;
        }
      }
      ObjectInputFilter.Status status = filter.checkInput(info);
      return status == null ? ObjectInputFilter.Status.REJECTED : status;
    };
  }

  private static int primitiveSize(Class<?> primitive) {
    if (primitive == long.class || primitive == double.class) {
      return 8;
    }
    if (primitive == int.class || primitive == float.class) {
      return 4;
    }
    if (primitive == short.class || primitive == char.class) {
      return 2;
    }
    return 1;
  }

  /** Resolves classes through one class loader, rejects proxies, and applies the filter. */
  private static final class FilteredInputStream extends ObjectInputStream {
    private final ClassLoader classLoader;

    FilteredInputStream(InputStream in, ClassLoader classLoader, ObjectInputFilter filter) throws IOException {
      super(in);
      this.classLoader = classLoader;
      setObjectInputFilter(filter);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws ClassNotFoundException {
      String name = desc.getName();
      Class<?> primitive = PRIMITIVES.get(name);
      // initialize=false: loading a class runs none of its code; the filter judges it next.
      return primitive != null ? primitive : Class.forName(name, false, classLoader);
    }

    @Override
    protected Class<?> resolveProxyClass(String[] interfaces) throws InvalidClassException {
      throw new InvalidClassException("dynamic proxy classes are never deserialized");
    }
  }
}
