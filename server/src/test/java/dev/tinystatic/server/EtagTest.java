package dev.tinystatic.server;

import static dev.tinystatic.server.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.server.Http.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ETag is a hash of the content: it changes with the bytes, not with the clock, on every
 * replica alike.
 */
@Timeout(30)
class EtagTest {

  @TempDir Path root;

  @Test
  void changesWhenTheBytesChangeEvenWithTheSameSizeAndMtime() throws Exception {
    Path page = root.resolve("page.html");
    FileTime jibTime = FileTime.from(Instant.ofEpochSecond(1)); // what Jib stamps on every file
    Files.writeString(page, "<p>version A</p>");
    Files.setLastModifiedTime(page, jibTime);
    try (TinyServer server = TinyServer.start(root)) {
      Response a = Http.exchange(server.port, get("/page.html"));
      assertThat(a.text()).isEqualTo("<p>version A</p>");
      assertThat(a.header("Last-Modified")).isEqualTo("Thu, 01 Jan 1970 00:00:01 GMT");
      assertThat(Http.exchange(server.port, get("/page.html")).header("ETag"))
          .isEqualTo(a.header("ETag"));

      Files.writeString(page, "<p>version B</p>"); // same size, in place (same inode)
      Files.setLastModifiedTime(page, jibTime); // same mtime
      Response b = Http.exchange(server.port, get("/page.html"));
      assertThat(b.text()).isEqualTo("<p>version B</p>");
      assertThat(b.header("Last-Modified")).isEqualTo(a.header("Last-Modified"));
      assertThat(b.header("Content-Length")).isEqualTo(a.header("Content-Length"));
      assertThat(b.header("ETag")).isNotEqualTo(a.header("ETag"));
      assertThat(
              Http.exchange(server.port, get("/page.html", "If-None-Match: " + a.header("ETag")))
                  .status())
          .isEqualTo(200);
      assertThat(
              Http.exchange(server.port, get("/page.html", "If-None-Match: " + b.header("ETag")))
                  .status())
          .isEqualTo(304);

      // a new file (new inode) with the old bytes and the old mtime: the old ETag again
      Path tmp = root.resolve("tmp");
      Files.writeString(tmp, "<p>version A</p>");
      Files.setLastModifiedTime(tmp, jibTime);
      Files.move(
          tmp,
          page,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      assertThat(Http.exchange(server.port, get("/page.html")).header("ETag"))
          .isEqualTo(a.header("ETag"));
    }
  }

  @Test
  void isTheSameOnEveryReplicaAndAcrossRestarts() throws Exception {
    Path copyA = Files.createDirectories(root.resolve("a"));
    Path copyB = Files.createDirectories(root.resolve("b"));
    Files.writeString(copyA.resolve("x.css"), "body { margin: 0 }");
    Thread.sleep(1100);
    Files.writeString(copyB.resolve("x.css"), "body { margin: 0 }"); // another inode, another mtime
    try (TinyServer a = TinyServer.start(copyA);
        TinyServer b = TinyServer.start(copyB)) {
      String tagA = Http.exchange(a.port, get("/x.css")).header("ETag");
      assertThat(Http.exchange(b.port, get("/x.css")).header("ETag")).isEqualTo(tagA);
      assertThat(Http.exchange(b.port, get("/x.css", "If-None-Match: " + tagA)).status())
          .isEqualTo(304);
    }
  }

  @Test
  void largeFilesHashWholly() throws Exception {
    byte[] data = new byte[3 << 20];
    Path f = root.resolve("big.bin");
    Files.write(f, data);
    FileTime t = Files.getLastModifiedTime(f);
    try (TinyServer server = TinyServer.start(root)) {
      String before =
          Http.exchange(server.port, get("/big.bin", "Range: bytes=0-0")).header("ETag");
      data[data.length - 1] = 1; // the very last byte
      Files.write(f, data);
      Files.setLastModifiedTime(f, t);
      String after = Http.exchange(server.port, get("/big.bin", "Range: bytes=0-0")).header("ETag");
      assertThat(after).isNotEqualTo(before);
    }
  }
}
