package io.sagastream.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BasicUsersTest {

  private static final String HASH = PasswordHashes.bcrypt("pw".toCharArray());

  @Test
  void usersComeFromTheSettingAndTheFileWithTheirRoles(@TempDir Path dir) throws Exception {
    // given one user in the setting and two in a file, with a comment
    Path file = dir.resolve("users");
    Files.writeString(file, "# operators\nolga:" + HASH + ":operator\nvic:" + HASH + ":viewer\n");

    // when
    BasicUsers users = BasicUsers.of("ada:" + HASH + ":admin,viewer", file.toString());

    // then
    assertThat(users.size()).isEqualTo(3);
    assertThat(users.user("ada").orElseThrow().roles())
        .containsExactlyInAnyOrder("admin", "viewer");
    assertThat(users.user("vic").orElseThrow().roles()).containsExactly("viewer");
    assertThat(users.user("nobody")).isEmpty();
    assertThat(users.user("ada").toString()).doesNotContain(HASH);
  }

  @Test
  void aMisconfiguredEntryIsRefusedNamingTheUserButNeverTheSecret() {
    assertThatThrownBy(() -> BasicUsers.of("olga:plain-password:operator", ""))
        .hasMessageContaining("olga")
        .hasMessageContaining("plaintext")
        .hasMessageNotContaining("plain-password");
    assertThatThrownBy(() -> BasicUsers.of("olga:" + HASH + ":root", ""))
        .hasMessageContaining("roles must be viewer, operator or admin")
        .hasMessageContaining("root");
    assertThatThrownBy(() -> BasicUsers.of("olga:" + HASH, ""))
        .hasMessageContaining("name:hash:role");
    assertThatThrownBy(() -> BasicUsers.of("olga:" + HASH + ":viewer olga:" + HASH + ":admin", ""))
        .hasMessageContaining("twice");
  }

  @Test
  void noUsersIsNoUsers() {
    assertThat(BasicUsers.of("", "").size()).isZero();
    assertThat(BasicUsers.of("  \n ", null).size()).isZero();
  }
}
