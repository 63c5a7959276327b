package dev.tinystatic.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.x over a raw socket: what is sent and received is exactly what the test says, nothing
 * hidden.
 */
final class Http {

  private Http() {}

  record Response(String statusLine, int status, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null ? null : v.get(0);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** One connection; responses are read one at a time (keep-alive, pipelining). */
  static final class Conn implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Conn(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    }

    Conn send(String raw) throws IOException {
      return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    Conn send(byte[] raw) throws IOException {
      out.write(raw);
      out.flush();
      return this;
    }

    /** Reads one response; its body by Content-Length, none for HEAD or 304. */
    Response read(boolean head) throws IOException {
      String statusLine = line();
      if (statusLine == null) {
        throw new IOException("connection closed before a response");
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (String l; !(l = line()).isEmpty(); ) {
        int colon = l.indexOf(':');
        headers
            .computeIfAbsent(l.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(l.substring(colon + 1).trim());
      }
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      byte[] body = new byte[0];
      List<String> length = headers.get("content-length");
      if (!head && status != 304 && length != null) {
        body = in.readNBytes(Integer.parseInt(length.get(0)));
      }
      return new Response(statusLine, status, headers, body);
    }

    Response read() throws IOException {
      return read(false);
    }

    Response request(String raw) throws IOException {
      return send(raw).read(raw.startsWith("HEAD "));
    }

    /** True when the server has closed the connection (EOF) within the socket timeout. */
    boolean closedByPeer(int timeoutMillis) throws IOException {
      socket.setSoTimeout(timeoutMillis);
      try {
        return in.read() == -1;
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset
      }
    }

    InputStream input() {
      return in;
    }

    private String line() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int c; (c = in.read()) != '\n'; ) {
        if (c == -1) {
          return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
        }
        if (c != '\r') {
          b.write(c);
        }
      }
      return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static String get(String path, String... headers) {
    StringBuilder r = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: test\r\n");
    for (String h : headers) {
      r.append(h).append("\r\n");
    }
    return r.append("\r\n").toString();
  }

  /** One request on a fresh connection. */
  static Response exchange(int port, String raw) throws IOException {
    try (Conn c = new Conn(port)) {
      return c.request(raw);
    }
  }
}
