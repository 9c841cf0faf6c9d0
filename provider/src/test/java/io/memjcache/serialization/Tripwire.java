package io.memjcache.serialization;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * A class that reports when any of its code runs. Tests load it only through isolating class
 * loaders (each has its own copy, so each copy's static initializer runs once).
 */
public class Tripwire implements Serializable {
  private static final long serialVersionUID = 1L;

  static {
    TripwireLog.record("static initializer");
  }

  public String payload = "boom";

  public Tripwire() {}

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    TripwireLog.record("readObject");
    in.defaultReadObject();
  }
}
