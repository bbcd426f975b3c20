package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which failed questions count as a refusal, the kind of silence that gets the short lease. */
class PeerWatchTest {

  @Test
  void aConnectionRefusedIsARefusal() {
    assertThat(PeerWatch.refused(new CompletionException(new ConnectException("refused"))))
        .isTrue();
  }

  @Test
  void aConnectionThatTimedOutIsNotARefusalHoweverTheJdkWrapsIt() {
    // JDK 25 reports a connect timeout as a timeout caused by a ConnectException
    HttpConnectTimeoutException timeout = new HttpConnectTimeoutException("HTTP connect timed out");
    timeout.initCause(new ConnectException("HTTP connect timed out"));

    assertThat(PeerWatch.refused(new CompletionException(timeout))).isFalse();
    assertThat(PeerWatch.refused(new HttpConnectTimeoutException("HTTP connect timed out")))
        .isFalse();
  }

  @Test
  void anAnswerCutOffIsNotARefusal() {
    assertThat(PeerWatch.refused(new CompletionException(new IOException("closed")))).isFalse();
  }
}
