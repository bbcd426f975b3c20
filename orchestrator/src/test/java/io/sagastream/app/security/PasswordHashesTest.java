package io.sagastream.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PasswordHashesTest {

  @Test
  void bcryptHashesOfEveryCommonVersionAreChecked() {
    // given hashes of "password" made by htpasswd (2y), OpenBSD (2b) and older tools (2a)
    String madeHere = PasswordHashes.bcrypt("password".toCharArray());
    String v2b = "$2b" + madeHere.substring(3);
    String v2y = "$2y" + madeHere.substring(3);

    // then each is accepted, and only the right password matches
    for (String hash : new String[] {madeHere, v2b, v2y}) {
      assertThat(PasswordHashes.problem(hash)).as(hash).isNull();
      assertThat(PasswordHashes.matches("password".toCharArray(), hash)).as(hash).isTrue();
      assertThat(PasswordHashes.matches("Password".toCharArray(), hash)).as(hash).isFalse();
    }
    assertThat(madeHere).startsWith("$2a$" + PasswordHashes.BCRYPT_COST + "$");
  }

  @Test
  void bcryptHashesMadeByAnotherImplementationMatch() {
    // given hashes of "correct horse" made by libxcrypt's crypt(3), one per version
    String[] hashes = {
      "$2b$10$abcdefghijklmnopqrstuu23JPZtHcGhwXSF41f93o/7vBdDut3Xu",
      "$2y$10$Zyxwvutsrqponmlkjihgfe99IZ6fu1oZkM.5RvfDNzLven52Mhm2u",
      "$2a$10$0123456789ABCDEFGHIJKuBCgYOth8TQ2ev1El4h4Gw7NJ8YjrpKy"
    };

    // then each matches that password, and only that one
    for (String hash : hashes) {
      assertThat(PasswordHashes.matches("correct horse".toCharArray(), hash)).as(hash).isTrue();
      assertThat(PasswordHashes.matches("correct horse!".toCharArray(), hash)).as(hash).isFalse();
    }
  }

  @Test
  void aPasswordLongerThanBcryptReadsMatchesAsCryptChecksIt() {
    // given a hash that libxcrypt's crypt(3) made of an 80-character password (40 a, 40 b)
    String hash = "$2b$10$abcdefghijklmnopqrstuuJ0Tk8kE5XjM0LkFUvnzlrzGjSJtXjW.";
    String password = "a".repeat(40) + "b".repeat(40);

    // then that password matches, as does any with the same first 72 bytes (bcrypt reads no
    // more), and one that differs within them does not
    assertThat(PasswordHashes.matches(password.toCharArray(), hash)).isTrue();
    assertThat(PasswordHashes.matches((password.substring(0, 72) + "zz").toCharArray(), hash))
        .isTrue();
    assertThat(PasswordHashes.matches(("c" + password.substring(1)).toCharArray(), hash)).isFalse();
    // and one made here of a long password checks too
    String madeHere = PasswordHashes.bcrypt(password.toCharArray());
    assertThat(PasswordHashes.matches(password.toCharArray(), madeHere)).isTrue();
  }

  @Test
  void pbkdf2HashesRoundTrip() {
    String hash =
        PasswordHashes.pbkdf2(
            "s3cret".toCharArray(), "0123456789abcdef".getBytes(StandardCharsets.UTF_8), 150_000);

    assertThat(PasswordHashes.problem(hash)).isNull();
    assertThat(PasswordHashes.matches("s3cret".toCharArray(), hash)).isTrue();
    assertThat(PasswordHashes.matches("s3cret ".toCharArray(), hash)).isFalse();
  }

  @Test
  void plaintextBareSha256AndWeakPbkdf2AreRefusedWithoutRepeatingThem() {
    String sha256 = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";
    String weak =
        PasswordHashes.pbkdf2("x".toCharArray(), "salt".getBytes(StandardCharsets.UTF_8), 1000);

    assertThat(PasswordHashes.problem("hunter2")).contains("plaintext").doesNotContain("hunter2");
    assertThat(PasswordHashes.problem(sha256)).contains("SHA-256").doesNotContain(sha256);
    assertThat(PasswordHashes.problem(weak)).contains("iterations");
    assertThat(PasswordHashes.matches("hunter2".toCharArray(), "hunter2")).isFalse();
  }
}
