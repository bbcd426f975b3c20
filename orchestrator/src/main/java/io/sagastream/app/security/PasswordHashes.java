package io.sagastream.app.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategy;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The password hashes HTTP basic users are configured with: bcrypt ({@code $2a$}, {@code $2b$},
 * {@code $2y$}, as {@code htpasswd -B} makes them) or PBKDF2 with HMAC-SHA-256 ({@code
 * pbkdf2-sha256$<iterations>$<salt, Base64>$<hash, Base64>}, from the JDK alone). A bare SHA-256
 * digest is refused: it is unsalted and fast, so a leaked configuration gives the passwords away.
 *
 * <p>{@code java -cp sagastream-orchestrator.jar io.sagastream.app.security.PasswordHashes} reads a
 * password from the console (or standard input) and prints its bcrypt hash; the password is never
 * an argument, so it stays out of the shell history and the process list.
 */
public final class PasswordHashes {

  /**
   * bcrypt's cost for hashes made here: 2^10 rounds, a common choice (each check costs as much).
   */
  static final int BCRYPT_COST = 10;

  private static final BCrypt.Version BCRYPT_VERSION = BCrypt.Version.VERSION_2A;

  /**
   * bcrypt reads at most 72 bytes of a password; htpasswd and OpenBSD's bcrypt ignore the rest, so
   * a longer password they hashed checks the same way here rather than never matching.
   */
  private static final LongPasswordStrategy LONG_PASSWORDS =
      LongPasswordStrategies.truncate(BCRYPT_VERSION);

  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
  private static final Pattern PBKDF2 =
      Pattern.compile("pbkdf2-sha256\\$(\\d+)\\$([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+)");
  private static final Pattern SHA256_HEX = Pattern.compile("(\\{sha-?256\\})?[0-9a-fA-F]{64}");
  private static final int MIN_PBKDF2_ITERATIONS = 100_000;

  private PasswordHashes() {}

  /**
   * Why {@code hash} cannot be used, or null when it can. The text never repeats the hash: a
   * message about a setting must not carry what the setting holds.
   */
  public static String problem(String hash) {
    if (BCRYPT.matcher(hash).matches()) {
      return null;
    }
    var pbkdf2 = PBKDF2.matcher(hash);
    if (pbkdf2.matches()) {
      try {
        if (Integer.parseInt(pbkdf2.group(1)) < MIN_PBKDF2_ITERATIONS) {
          return "a pbkdf2-sha256 hash needs at least " + MIN_PBKDF2_ITERATIONS + " iterations";
        }
        Base64.getDecoder().decode(pbkdf2.group(2));
        Base64.getDecoder().decode(pbkdf2.group(3));
        return null;
      } catch (IllegalArgumentException e) {
        return "a pbkdf2-sha256 hash must be pbkdf2-sha256$<iterations>$<salt>$<hash>, Base64";
      }
    }
    if (SHA256_HEX.matcher(hash).matches()) {
      return "a bare SHA-256 digest is unsalted and fast to guess: use bcrypt or pbkdf2-sha256";
    }
    return "the hash must be bcrypt ($2a$, $2b$, $2y$) or pbkdf2-sha256$<iterations>$<salt>$<hash>;"
        + " plaintext passwords are refused";
  }

  /** True when {@code password} matches {@code hash} (one that {@link #problem} accepts). */
  public static boolean matches(char[] password, String hash) {
    if (BCRYPT.matcher(hash).matches()) {
      try {
        return BCrypt.verifyer(BCRYPT_VERSION, LONG_PASSWORDS)
            .verify(password, hash.toCharArray())
            .verified;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    var pbkdf2 = PBKDF2.matcher(hash);
    if (pbkdf2.matches()) {
      byte[] salt = Base64.getDecoder().decode(pbkdf2.group(2));
      byte[] expected = Base64.getDecoder().decode(pbkdf2.group(3));
      byte[] actual = pbkdf2(password, salt, Integer.parseInt(pbkdf2.group(1)), expected.length);
      return MessageDigest.isEqual(expected, actual);
    }
    return false;
  }

  /** A new bcrypt hash of {@code password}. */
  public static String bcrypt(char[] password) {
    return BCrypt.with(BCRYPT_VERSION, LONG_PASSWORDS).hashToString(BCRYPT_COST, password);
  }

  /** A new PBKDF2-HMAC-SHA-256 hash of {@code password}, in the form {@link #matches} reads. */
  public static String pbkdf2(char[] password, byte[] salt, int iterations) {
    byte[] hash = pbkdf2(password, salt, iterations, 32);
    return "pbkdf2-sha256$"
        + iterations
        + "$"
        + Base64.getEncoder().encodeToString(salt)
        + "$"
        + Base64.getEncoder().encodeToString(hash);
  }

  private static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int length) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, length * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available: " + e, e);
    } finally {
      spec.clearPassword();
    }
  }

  /** Prints the bcrypt hash of a password read from the console, or from standard input. */
  public static void main(String[] args) throws IOException {
    Console console = System.console();
    char[] password;
    if (console != null) {
      password = console.readPassword("Password: ");
    } else {
      String line =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      password = line == null ? new char[0] : line.toCharArray();
    }
    if (password == null || password.length == 0) {
      System.err.println("No password given");
      System.exit(2);
    }
    System.out.println(bcrypt(password));
    Arrays.fill(password, '\0');
  }
}
