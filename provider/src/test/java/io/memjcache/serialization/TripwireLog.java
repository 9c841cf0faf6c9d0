package io.memjcache.serialization;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records which code of {@link Tripwire} ran; loaded once, by the test class loader. */
public final class TripwireLog {
  private static final List<String> EVENTS = new CopyOnWriteArrayList<>();

  private TripwireLog() {}

  public static void record(String event) {
    EVENTS.add(event);
  }

  public static List<String> events() {
    return List.copyOf(EVENTS);
  }

  public static void clear() {
    EVENTS.clear();
  }
}
