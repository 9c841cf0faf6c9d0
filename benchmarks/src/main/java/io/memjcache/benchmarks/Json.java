package io.memjcache.benchmarks;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Just enough JSON writing for the run's metadata: maps, lists, strings, numbers, booleans. */
final class Json {
  private Json() {}

  static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, "");
    return sb.append('\n').toString();
  }

  private static void write(StringBuilder sb, Object value, String indent) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof Number || value instanceof Boolean) {
      sb.append(value);
    } else if (value instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) value;
      if (map.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append("{\n");
      Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        sb.append(indent).append("  ");
        string(sb, String.valueOf(e.getKey()));
        sb.append(": ");
        write(sb, e.getValue(), indent + "  ");
        sb.append(it.hasNext() ? ",\n" : "\n");
      }
      sb.append(indent).append('}');
    } else if (value instanceof List) {
      List<?> list = (List<?>) value;
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        write(sb, list.get(i), indent + "  ");
      }
      sb.append(']');
    } else {
      string(sb, value.toString());
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
