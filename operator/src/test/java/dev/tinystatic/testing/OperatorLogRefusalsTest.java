package dev.tinystatic.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The real-cluster tests' check of an operator's log for requests the API server refused. */
class OperatorLogRefusalsTest {

  @Test
  void refusalsAreFoundAndNumbersHolding403AreNot() {
    String refusedStatus =
        "WARN site a/b: Failure executing: GET at: https://10.96.0.1/api/v1/secrets. Received"
            + " status: Status(code=403, reason=Forbidden)";
    String refusedHttp = "WARN site a/b: the API server refused the Service (HTTP 403)";
    String log =
        String.join(
            "\n",
            "19:35:34.403 INFO  i.j.o.p.Controller - Started event processing",
            "management server on 127.0.0.1:40333",
            "image sha256:599b29bf92606e15d866aa13c13987672dda17939cf01514627fe4529024036a",
            refusedStatus,
            refusedHttp);

    assertThat(OperatorProcess.forbidden(log)).containsExactly(refusedStatus, refusedHttp);
  }
}
