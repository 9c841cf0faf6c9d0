package io.memjcache.internal.jcache;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A serializable {@link Gadget} class that no cache allows, standing for a deserialization gadget:
 * it counts every piece of its code that deserialization could run (the constructor of its first
 * non-serializable superclass, {@code readObject}, {@code readResolve}), so a test can prove that
 * none of it ran.
 */
final class HostilePayload {
  /** How often deserialization ran any gadget code since the last {@link #reset()}. */
  static final AtomicInteger TRIGGERED = new AtomicInteger();

  private HostilePayload() {}

  /** Deserialization runs the no-argument constructor of the first non-serializable superclass. */
  static class Base {
    Base() {
      TRIGGERED.incrementAndGet();
    }
  }

  /** The payload. */
  static final class Gadget extends Base implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String command = "rm -rf /";

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      TRIGGERED.incrementAndGet();
      in.defaultReadObject();
    }

    private Object readResolve() {
      TRIGGERED.incrementAndGet();
      return this;
    }

    @Override
    public String toString() {
      return "Gadget{" + command + "}";
    }
  }

  static void reset() {
    TRIGGERED.set(0);
  }

  /** Java serialization of {@code value}, as an attacker would produce it. */
  static byte[] serialize(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
