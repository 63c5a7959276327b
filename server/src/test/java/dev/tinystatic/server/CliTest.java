package dev.tinystatic.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * tinyhttpd [-p PORT] [-d DOCROOT]: bad arguments get a clear message on stderr and a non-zero
 * exit.
 */
@Timeout(20)
class CliTest {

  @TempDir Path root;

  static final String USAGE =
      "tinyhttpd: usage: tinyhttpd [-p PORT] [-d DOCROOT] [-a ADDRESS] [-m HEADERSFILE] [-s"
          + " SPAPAGE] [-n 404PAGE]\n";

  record Run(int code, String stderr, String stdout) {}

  static Run run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(TinyServer.binary().toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    try {
      assertThat(p.waitFor(5, TimeUnit.SECONDS)).as("exited").isTrue();
      return new Run(
          p.exitValue(),
          new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8),
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "65536", "99999999999", "-1", "80a", "abc", "", " 80", "+80"})
  void badPortsExit2(String port) throws Exception {
    Run r = run("-p", port, "-d", root.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.stderr()).isEqualTo("tinyhttpd: bad port: " + port + "\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-x", "-p", "-d", "--port", "p", "-pp", "-"})
  void badArgumentsExit2WithUsage(String arg) throws Exception {
    Run r = run(arg.equals("-pp") ? new String[] {"-pp", "80"} : new String[] {arg});
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.stderr()).isEqualTo(USAGE);
  }

  @Test
  void aMissingDocrootExits1() throws Exception {
    Run r = run("-p", "1", "-d", root.resolve("nope").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.stderr())
        .isEqualTo("tinyhttpd: cannot open docroot: " + root.resolve("nope") + "\n");
    Path file = Files.writeString(root.resolve("file"), "x");
    assertThat(run("-d", file.toString()).stderr()).startsWith("tinyhttpd: cannot open docroot: ");
  }

  @Test
  void theDefaultDocrootIsSite() throws Exception {
    if (Files.isDirectory(Path.of("/site"))) {
      return; // a machine with a /site: nothing to learn here
    }
    Run r = run("-p", String.valueOf(TinyServer.freePort()));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("tinyhttpd: cannot open docroot: /site\n");
  }

  @Test
  void aPortInUseExits1() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("0.0.0.0", 0));
      Run r = run("-p", String.valueOf(taken.getLocalPort()), "-d", root.toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.stderr())
          .isEqualTo("tinyhttpd: cannot listen on port " + taken.getLocalPort() + "\n");
    }
  }

  @Test
  void argumentsInAnyOrderAndRepeated() throws Exception {
    Files.writeString(root.resolve("index.html"), "ok");
    int port = TinyServer.freePort();
    try (TinyServer s =
        TinyServer.start(
            List.of(TinyServer.binary().toString(), "-d", "/nonexistent", "-p", "1"),
            root)) { // later flags win: -p PORT -d root are appended
      assertThat(Http.exchange(s.port, Http.get("/")).text()).isEqualTo("ok");
      assertThat(s.output()).isEqualTo("tinyhttpd: listening on port " + s.port + "\n");
    }
    assertThat(port).isPositive();
  }

  static boolean refused(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void anAddressBindsThatAddressOnly() throws Exception {
    Files.writeString(root.resolve("index.html"), "ok");
    List<String> cmd = List.of(TinyServer.binary().toString(), "-a", "127.0.0.2");
    try (TinyServer s = TinyServer.start(cmd, root, "127.0.0.2")) {
      try (Socket c = new Socket("127.0.0.2", s.port)) {
        c.getOutputStream()
            .write(Http.get("/", "Connection: close").getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
            .startsWith("HTTP/1.1 200 OK")
            .endsWith("\r\n\r\nok");
      }
      assertThat(refused("127.0.0.1", s.port)).as("127.0.0.1 is another address").isTrue();
      assertThat(refused("::1", s.port)).isTrue();
    }
  }

  @Test
  void anIpv6AddressBindsThatAddressOnly() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        ipv6Loopback(), "no IPv6 loopback on this machine");
    Files.writeString(root.resolve("index.html"), "ok6");
    List<String> cmd = List.of(TinyServer.binary().toString(), "-a", "::1");
    try (TinyServer s = TinyServer.start(cmd, root, "::1")) {
      assertThat(refused("::1", s.port)).isFalse();
      assertThat(refused("127.0.0.1", s.port)).isTrue();
    }
  }

  static boolean ipv6Loopback() {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("::1", 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "256.0.0.1", "1.2.3", "::1::", "[::1]", "1:2:3", ""})
  void aBadAddressExits2(String address) throws Exception {
    Run r = run("-a", address, "-p", "1", "-d", root.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.stderr()).isEqualTo("tinyhttpd: bad address: " + address + "\n");
  }

  @Test
  void anAddressThisMachineDoesNotHaveExits1() throws Exception {
    int port = TinyServer.freePort();
    Run r = run("-a", "192.0.2.1", "-p", String.valueOf(port), "-d", root.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("tinyhttpd: cannot listen on port " + port + "\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-n", "-s", "-m", "-a", "-d"})
  void anOptionValueOver1KiBExits2(String option) throws Exception {
    Run r = run(option, "x".repeat(1025));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.stderr()).isEqualTo(USAGE);
  }
}
