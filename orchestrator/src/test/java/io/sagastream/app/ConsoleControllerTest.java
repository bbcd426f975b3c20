package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ConsoleControllerTest {

  private final ConsoleController console = new ConsoleController();

  @Test
  void aFileOfTheConsoleIsServedWithItsTypeAndAPolicyThatAllowsNothingFromElsewhere() {
    HttpResponse<?> script = console.asset("app.js");

    assertThat(script.getContentType())
        .hasValueSatisfying(t -> assertThat(t.getName()).isEqualTo("text/javascript"));
    assertThat(script.getHeaders().get("Content-Security-Policy")).contains("default-src 'self'");
    assertThat(script.getHeaders().get("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void aNameThatIsNotAFileOfTheConsoleFolderIsNotFound() {
    for (String name :
        new String[] {
          "../application.yml", "..", "logback.xml", "app.js.map", "APP.JS", "none.js"
        }) {
      assertThatThrownBy(() -> console.asset(name)).as(name).isInstanceOf(NotFoundException.class);
    }
  }
}
