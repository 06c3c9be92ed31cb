package io.foresight.memory.internal;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A route table for the memory's HTTP API: method + path template ({@code
 * /streams/{stream}/latest}) to a handler. Path segments and query parameters are percent-decoded
 * once, here; handlers read them through {@link Call}'s typed getters, which answer a bad value
 * with a 400 that names the parameter. An unknown path is a 404, a known path with another method a
 * 405.
 */
final class Router {
  /** Answers one matched request. */
  @FunctionalInterface
  interface Handler {
    Reply handle(Call call);
  }

  /** An answer: status, content type and body. */
  record Reply(int status, String contentType, byte[] body) {}

  /** A route matched by {@link #match}, with its path variables. */
  record Match(Route route, Map<String, String> vars) {}

  /** One entry of the table. */
  record Route(
      String method, String template, String name, List<String> segments, Handler handler) {
    Map<String, String> match(List<String> path) {
      if (path.size() != segments.size()) {
        return null;
      }
      Map<String, String> vars = new HashMap<>();
      for (int i = 0; i < segments.size(); i++) {
        String seg = segments.get(i);
        if (seg.startsWith("{") && seg.endsWith("}")) {
          vars.put(seg.substring(1, seg.length() - 1), path.get(i));
        } else if (!seg.equals(path.get(i))) {
          return null;
        }
      }
      return vars;
    }
  }

  private final List<Route> routes = new ArrayList<>();

  /**
   * Adds a route.
   *
   * @param name the endpoint's name in metrics, e.g. {@code stream_latest}
   */
  Router route(String method, String template, String name, Handler handler) {
    routes.add(new Route(method, template, name, split(template, false), handler));
    return this;
  }

  Router get(String template, String name, Handler handler) {
    return route("GET", template, name, handler);
  }

  Router post(String template, String name, Handler handler) {
    return route("POST", template, name, handler);
  }

  /** {@code METHOD template} of every route, in the order added. */
  List<String> endpoints() {
    return routes.stream().map(r -> r.method() + " " + r.template()).toList();
  }

  /**
   * The route for {@code method} and the raw (still percent-encoded) {@code rawPath}.
   *
   * @throws HttpApi.ApiException 404 if no route has this path, 405 if none has this method
   */
  Match match(String method, String rawPath) {
    List<String> path = split(rawPath, true);
    Set<String> allowed = new LinkedHashSet<>();
    for (Route r : routes) {
      Map<String, String> vars = r.match(path);
      if (vars != null) {
        if (r.method().equals(method)) {
          return new Match(r, vars);
        }
        allowed.add(r.method());
      }
    }
    if (!allowed.isEmpty()) {
      throw new HttpApi.ApiException(
          405, method + " is not allowed on " + rawPath + "; use " + String.join(" or ", allowed));
    }
    throw new HttpApi.ApiException(
        404, "no such endpoint: " + rawPath + "; see GET / for the list");
  }

  private static List<String> split(String path, boolean decode) {
    List<String> out = new ArrayList<>();
    for (String seg : path.split("/")) {
      if (!seg.isEmpty()) {
        out.add(decode ? percentDecode(seg) : seg);
      }
    }
    return out;
  }

  /** Decodes %XX escapes as UTF-8; unlike URLDecoder, '+' stays '+'. */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new HttpApi.ApiException(400, "bad percent escape at the end of '" + s + "'");
        }
        try {
          out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        } catch (NumberFormatException e) {
          throw new HttpApi.ApiException(400, "bad percent escape in '" + s + "'");
        }
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The decoded query parameters of {@code uri} (the last value of a repeated name wins). */
  static Map<String, String> queryParams(URI uri) {
    Map<String, String> params = new HashMap<>();
    String rawQuery = uri.getRawQuery();
    if (rawQuery != null) {
      for (String kv : rawQuery.split("&")) {
        if (kv.isEmpty()) {
          continue;
        }
        int eq = kv.indexOf('=');
        String k = percentDecode(eq < 0 ? kv : kv.substring(0, eq));
        String v = eq < 0 ? "" : percentDecode(kv.substring(eq + 1));
        params.put(k, v);
      }
    }
    return params;
  }

  /**
   * One request as a handler sees it: decoded path variables, typed query parameters (an empty
   * value counts as absent) and the body.
   */
  static final class Call {
    private final String method;
    private final String rawPath;
    private final Map<String, String> vars;
    private final Map<String, String> params;
    private final byte[] body;
    private final boolean local;

    Call(
        String method,
        String rawPath,
        Map<String, String> vars,
        Map<String, String> params,
        byte[] body,
        boolean local) {
      this.method = method;
      this.rawPath = rawPath;
      this.vars = vars;
      this.params = params;
      this.body = body;
      this.local = local;
    }

    String method() {
      return method;
    }

    String rawPath() {
      return rawPath;
    }

    byte[] body() {
      return body;
    }

    /**
     * Whether to answer from this instance only (sent by another instance, or {@code local=true}).
     */
    boolean local() {
      return local;
    }

    /** The decoded path variable {@code name} of the route's template. */
    String path(String name) {
      String v = vars.get(name);
      if (v == null) {
        throw new IllegalStateException("the route has no {" + name + "}");
      }
      return v;
    }

    /** The parameter's value, or {@code null} if absent or empty. */
    String string(String name) {
      String v = params.get(name);
      return v == null || v.isEmpty() ? null : v;
    }

    /** A required parameter's value. */
    String requiredString(String name, String why) {
      String v = string(name);
      if (v == null) {
        throw new HttpApi.ApiException(400, name + "= is required (" + why + ")");
      }
      return v;
    }

    /** A long parameter, {@code dflt} when absent. */
    long longValue(String name, long dflt) {
      String v = string(name);
      return v == null ? dflt : parseLong(name, v);
    }

    /** A required long parameter. */
    long requiredLong(String name, String why) {
      return parseLong(name, requiredString(name, why));
    }

    /** An int parameter in [min, max], {@code dflt} when absent. */
    int intValue(String name, int dflt, int min, int max) {
      String v = string(name);
      if (v == null) {
        return dflt;
      }
      int n;
      try {
        n = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new HttpApi.ApiException(400, name + " must be an integer, got '" + v + "'");
      }
      return HttpApi.checkRange(name, n, min, max);
    }

    /**
     * A boolean parameter ({@code true}/{@code false}/{@code 1}/{@code 0}), {@code dflt} when
     * absent.
     */
    boolean bool(String name, boolean dflt) {
      String v = string(name);
      if (v == null) {
        return dflt;
      }
      if (v.equalsIgnoreCase("true") || v.equals("1")) {
        return true;
      }
      if (v.equalsIgnoreCase("false") || v.equals("0")) {
        return false;
      }
      throw new HttpApi.ApiException(400, name + " must be true or false, got '" + v + "'");
    }

    /** An enum parameter by its lower-case name, {@code dflt} when absent. */
    <E extends Enum<E>> E choice(String name, Class<E> type, E dflt, String meaning) {
      String v = string(name);
      if (v == null) {
        return dflt;
      }
      try {
        return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new HttpApi.ApiException(400, name + " must be " + meaning + ", got '" + v + "'");
      }
    }

    private static long parseLong(String name, String v) {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new HttpApi.ApiException(400, name + " must be an integer, got '" + v + "'");
      }
    }
  }
}
