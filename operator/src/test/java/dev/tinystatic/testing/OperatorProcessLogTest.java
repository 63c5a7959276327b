package dev.tinystatic.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which lines of an operator's log count as a request the API server refused. */
class OperatorProcessLogTest {

  @Test
  void aRefusalIsFoundByItsStatusCodeOrItsWord() {
    String log =
        """
        19:14:01.100 WARN  x - Failure executing: PATCH at: https://h/apis/x. Message: Forbidden!
        19:14:02.200 WARN  x - Received status: Status(code=403, reason=Forbidden)
        19:14:03.300 WARN  x - the API server answered 403 to the status write
        """;
    assertThat(OperatorProcess.forbidden(log)).hasSize(3);
  }

  @Test
  void numbersDigestsAndTimesThatHold403AreNotRefusals() {
    String log =
        """
        19:13:06.403 INFO  i.j.o.p.Controller - Started event processing for controller: sites
        19:13:07.000 INFO  r - /healthz, /readyz and /metrics on port 40333
        19:13:08.000 INFO  r - image 127.0.0.1:35000/s@sha256:0a403b9c pulled in 1.403 s
        """;
    assertThat(OperatorProcess.forbidden(log)).isEmpty();
  }
}
