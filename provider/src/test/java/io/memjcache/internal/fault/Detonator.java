package io.memjcache.internal.fault;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A serializable {@link Gadget} class that no cache allows, standing for a deserialization gadget.
 * Everything that deserialization could run of it (its non-serializable superclass's constructor,
 * {@code readObject}, {@code readResolve}, {@code readObjectNoData}) counts in {@link #DETONATIONS},
 * so a test proves that none of it ran.
 */
final class Detonator {
  /** How often gadget code ran during deserialization. */
  static final AtomicInteger DETONATIONS = new AtomicInteger();
  /** Armed after building the payloads, so that building them does not count. */
  static volatile boolean armed;

  private Detonator() {}

  /** Deserialization runs the no-argument constructor of the first non-serializable superclass. */
  static class Base {
    Base() {
      if (armed) {
        DETONATIONS.incrementAndGet();
      }
    }
  }

  /** The payload. */
  static final class Gadget extends Base implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String command;

    Gadget(String command) {
      this.command = command;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      DETONATIONS.incrementAndGet();
      in.defaultReadObject();
    }

    private void readObjectNoData() {
      DETONATIONS.incrementAndGet();
    }

    private Object readResolve() {
      DETONATIONS.incrementAndGet();
      return this;
    }

    @Override
    public String toString() {
      return "Gadget{" + command + "}";
    }
  }
}
