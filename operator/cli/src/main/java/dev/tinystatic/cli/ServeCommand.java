package dev.tinystatic.cli;

import dev.tinystatic.image.WorkDir;
import dev.tinystatic.server.ServerBinary;
import dev.tinystatic.server.ServerImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Local preview with the real native server (extracted from this jar), serving the same bytes, gzip
 * twins included, that a baked image of the site holds, with the same headers file, 404 page and
 * SPA fallback. No cluster, no Docker.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Preview a site locally with the real TinyStatic server: the files of SITE.yaml, or of DIR,",
      "with the gzip twins the cluster serves. Ctrl-C stops it."
    },
    footer = ExitCodes.HELP)
final class ServeCommand implements Callable<Integer> {

  @Mixin SiteSource source;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "N",
      description = "Port to serve on (default: the site's spec.port, 8080).")
  Integer port;

  @Option(
      names = {"-a", "--address"},
      paramLabel = "ADDRESS",
      description =
          "Address to listen on, an IPv4 or IPv6 literal (default: 127.0.0.1, this machine only;"
              + " 0.0.0.0 or :: for every interface).")
  String address = "127.0.0.1";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var input = source.load();
    int listen = port != null ? port : input.site().getSpec().portOrDefault();
    if (listen < 1 || listen > 65535) {
      throw new InputException("--port " + listen + " is not a port (1-65535)");
    }
    WorkDir work = WorkDir.create("tinystatic-serve-");
    Path docroot = Files.createDirectories(work.path().resolve("site"));
    for (var file : input.image().layerFiles().entrySet()) {
      Path target = docroot.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.write(target, file.getValue());
    }
    // Outside the docroot, like in a pod: the preview answers as the cluster does.
    Path headers =
        Files.write(work.path().resolve("headers"), input.content().serving().headersFile());
    Path binary = ServerBinary.extract(ServerBinary.Arch.host(), work.path().resolve("tinyhttpd"));
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "-a",
                address,
                "-p",
                Integer.toString(listen),
                "-d",
                docroot.toString()));
    command.addAll(input.content().serving().args(headers.toString()));
    Process server =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    var stopped = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable stop =
        () -> {
          if (stopped.compareAndSet(false, true)) {
            stop(server, work);
          }
        };
    // Ctrl-C ends this JVM: the hook stops the server (it drains) and removes the files.
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "stop-server"));
    if (!listening(server)) {
      stop.run();
      return ExitCodes.FAILED;
    }
    var out = spec.commandLine().getOut();
    int files = input.content().count();
    out.printf(
        "Serving %s (%d file%s, %,d bytes) with tinyhttpd at %s - listening on %s; Ctrl-C to"
            + " stop%n",
        source,
        files,
        files == 1 ? "" : "s",
        input.content().totalBytes(),
        url(address, listen),
        bound(address, listen));
    out.flush();
    int exit = server.waitFor();
    if (stopped.get()) {
      return ExitCodes.OK;
    }
    // The server ended by itself: its message is on stderr already.
    stop.run();
    return exit == 0 ? ExitCodes.OK : ExitCodes.FAILED;
  }

  /** Where a browser on this machine reaches the server bound to address. */
  static String url(String address, int port) {
    String host =
        switch (address) {
          case "0.0.0.0" -> "127.0.0.1";
          case "::" -> "[::1]";
          default -> address.contains(":") ? "[" + address + "]" : address;
        };
    return "http://" + host + ":" + port + "/";
  }

  /** What the server bound, in words: one address, or every one. */
  static String bound(String address, int port) {
    return address.equals("0.0.0.0") || address.equals("::")
        ? "every address (" + address + ") port " + port
        : address + " port " + port + " only";
  }

  /**
   * The server says "listening" once its socket is bound; at EOF it failed (and said why on
   * stderr).
   */
  private static boolean listening(Process server) throws IOException {
    var lines = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream()));
    String first = lines.readLine();
    // Keep draining its output so the server never blocks on a full pipe.
    Thread drain =
        new Thread(
            () -> {
              try {
                lines.transferTo(java.io.Writer.nullWriter());
              } catch (IOException ignored) {
                // the server ended
              }
            },
            "server-output");
    drain.setDaemon(true);
    drain.start();
    return first != null && first.contains("listening");
  }

  /** SIGTERM: the server finishes what is in flight and exits within its drain bound. */
  private static void stop(Process server, WorkDir work) {
    server.destroy();
    try {
      if (!server.waitFor(ServerImage.DRAIN_SECONDS + 2, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      server.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    work.close();
  }
}
