package dev.tinystatic.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Table tests of the pure parsers of http.c (paths, ranges, dates, addresses), through a small C
 * driver built with AddressSanitizer and UBSan (src/test/c/http_table.c, {@code make
 * check-native}).
 */
class HttpTableTest {

  static Process driver;
  static Writer in;
  static BufferedReader out;

  @BeforeAll
  static void start() throws IOException {
    Path bin =
        Path.of(System.getProperty("tinystatic.http.table", "target/native-debug/http-table"));
    assumeTrue(Files.isExecutable(bin), "no " + bin + " (make -C server check-native)");
    driver = new ProcessBuilder(bin.toString()).redirectErrorStream(true).start();
    in = new java.io.OutputStreamWriter(driver.getOutputStream(), StandardCharsets.ISO_8859_1);
    out =
        new BufferedReader(
            new InputStreamReader(driver.getInputStream(), StandardCharsets.ISO_8859_1));
  }

  @AfterAll
  static void stop() throws Exception {
    if (driver != null) {
      in.close();
      assertThat(driver.waitFor()).as("the driver's exit: no sanitizer report").isZero();
    }
  }

  static String ask(String line) throws IOException {
    in.write(line + "\n");
    in.flush();
    String answer = out.readLine();
    assertThat(answer).as(line).doesNotContain("Sanitizer", "runtime error");
    return answer;
  }

  /** Raw path -> "length slash normalised" or -1 (malformed, or above the root). */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/|0 1 ''",
        "/a|1 0 a",
        "/a/|2 1 a/",
        "/a/b.html|8 0 a/b.html",
        "//a///b|3 0 a/b",
        "/./a/./b/.|4 1 a/b/",
        "/a/../b|1 0 b",
        "/a/b/../../c|1 0 c",
        "/a/..|0 1 ''",
        "/..|-1",
        "/../a|-1",
        "/a/../../b|-1",
        "/%2e%2e/a|-1",
        "/%2E%2e%2Fa|-1",
        "/.%2e/a|-1",
        "/%2e/a|1 0 a",
        "/a%2fb|3 0 a/b",
        "/%41%62|2 0 Ab",
        "/caf%C3%A9|5 0 caf\u00c3\u00a9",
        "/a%20b|3 0 a b",
        "/a%|-1",
        "/a%2|-1",
        "/a%zz|-1",
        "/a%00b|-1",
        "/a%0ab|-1",
        "/a%7fb|-1",
        "/a\\b|-1",
        "/a%5cb|-1",
        "/...|3 0 ...",
        "/a/.../b|7 0 a/.../b",
        "/..a|3 0 ..a",
        "/a..|3 0 a..",
      })
  void paths(String raw, String expected) throws IOException {
    assertThat(ask("path " + raw)).isEqualTo(expected.replace("''", ""));
  }

  /** Size and Range value -> "1 from to" (206), "0 0 0" (ignored: 200), "-1 0 0" (416). */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "20|bytes=0-9|1 0 9",
        "20|bytes=10-|1 10 19",
        "20|bytes=-5|1 15 19",
        "20|bytes=-20|1 0 19",
        "20|bytes=-50|1 0 19",
        "20|bytes=19-19|1 19 19",
        "20|bytes=5-100|1 5 19",
        "20|BYTES=0-0|1 0 0",
        "20|bytes=20-|-1 0 0",
        "20|bytes=20-30|-1 0 0",
        "20|bytes=-0|-1 0 0",
        "0|bytes=0-|-1 0 0",
        "0|bytes=-1|-1 0 0",
        "20|bytes=99999999999999999999999-|-1 0 0",
        "20|bytes=0-99999999999999999999999|1 0 19",
        "20|bytes=5-2|0 0 0",
        "20|bytes=0-1,5-6|0 0 0",
        "20|bytes=a-b|0 0 0",
        "20|bytes=|0 0 0",
        "20|bytes=-|0 0 0",
        "20|bytes= 0-1|0 0 0",
        "20|bytes=0--1|0 0 0",
        "20|items=0-1|0 0 0",
        "20|bytes 0-1|0 0 0",
      })
  void ranges(long size, String value, String expected) throws IOException {
    assertThat(ask("range " + size + " " + value)).isEqualTo(expected);
  }

  /** IMF-fixdate -> a key that orders like the time; anything else is not a date. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Sun, 06 Nov 1994 08:49:37 GMT|19941006084937",
        "Thu, 01 Jan 1970 00:00:00 GMT|19700001000000",
        "Thu, 29 Feb 2024 13:14:15 GMT|20240129131415",
        "Fri, 31 Dec 2100 23:59:59 GMT|21001131235959",
        "Sun, 06 Foo 1994 08:49:37 GMT|bad",
        "Sun, 06 Nov 1994 08:49:37 UTC|bad",
        "Sun, 06 Nov 1994 08:49:3x GMT|bad",
        "Sun, 6 Nov 1994 08:49:37 GMT|bad",
        "Sunday, 06-Nov-94 08:49:37 GMT|bad",
        "Sun Nov  6 08:49:37 1994|bad",
        "|bad",
      })
  void dates(String value, String expected) throws IOException {
    assertThat(ask("date " + value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "127.0.0.1|4 127.0.0.1",
        "0.0.0.0|4 0.0.0.0",
        "255.255.255.255|4 255.255.255.255",
        "10.1.2.3|4 10.1.2.3",
        "::|6 0:0:0:0:0:0:0:0",
        "::1|6 0:0:0:0:0:0:0:1",
        "1::|6 1:0:0:0:0:0:0:0",
        "fe80::1|6 fe80:0:0:0:0:0:0:1",
        "2001:db8::8:800:200c:417a|6 2001:db8:0:0:8:800:200c:417a",
        "1:2:3:4:5:6:7:8|6 1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::|6 1:2:3:4:5:6:7:0",
        "::2:3:4:5:6:7:8|6 0:2:3:4:5:6:7:8",
        "FFFF::ABCD|6 ffff:0:0:0:0:0:0:abcd",
        "256.1.1.1|0",
        "1.2.3|0",
        "1.2.3.4.5|0",
        "'1.2.3.4 '|0",
        "01234.1.1.1|0",
        "1..2.3|0",
        "-1.2.3.4|0",
        "localhost|0",
        "|0",
        ":|0",
        ":::|0",
        ":1|0",
        "1:|0",
        "1:::2|0",
        "1::2::3|0",
        "1:2:3:4:5:6:7|0",
        "1:2:3:4:5:6:7:8:9|0",
        "1:2:3:4:5:6:7:8::|0",
        "12345::|0",
        "g::|0",
        "[::1]|0",
        "::ffff:1.2.3.4|0",
        "fe80::1%eth0|0",
      })
  void addresses(String value, String expected) throws IOException {
    assertThat(ask("address " + value)).isEqualTo(expected);
  }
}
