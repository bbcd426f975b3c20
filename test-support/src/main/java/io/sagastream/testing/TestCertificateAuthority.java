package io.sagastream.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority that lives for one test run: it issues certificates for brokers and
 * clients and writes them as PKCS12 key stores and trust stores, so that TLS tests need no key
 * committed to the repository. Keys are EC P-256 (fast to make); certificates are valid for a day.
 * Only the JDK's own providers are used; BouncyCastle only builds the certificates.
 */
public final class TestCertificateAuthority {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String SIGNATURE = "SHA256withECDSA";

  private final KeyPair keys;
  private final X509Certificate certificate;
  private final String password;

  private TestCertificateAuthority(KeyPair keys, X509Certificate certificate, String password) {
    this.keys = keys;
    this.certificate = certificate;
    this.password = password;
  }

  /** A new authority whose self-signed certificate has subject {@code CN=<commonName>}. */
  public static TestCertificateAuthority create(String commonName) {
    try {
      KeyPair keys = newKeys();
      X500Name subject = new X500Name("CN=" + commonName);
      X509v3CertificateBuilder builder = builder(subject, subject, keys);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          extensions.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate certificate = sign(builder, keys);
      // One random password for every store of this authority: a test secret, never logged.
      byte[] secret = new byte[16];
      RANDOM.nextBytes(secret);
      return new TestCertificateAuthority(keys, certificate, HexFormat.of().formatHex(secret));
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException("Cannot make a test certificate authority: " + e, e);
    }
  }

  /** The password of every key store and trust store this authority writes. */
  public String password() {
    return password;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Writes a PKCS12 trust store holding this authority's certificate. */
  public Path writeTrustStore(Path file) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("ca", certificate);
      return write(store, file);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot write trust store " + file + ": " + e, e);
    }
  }

  /**
   * Issues a certificate for {@code distinguishedName} (server and client use alike) with the given
   * host names and IP addresses as subject alternative names, and writes it with its private key
   * and this authority's certificate as a PKCS12 key store.
   */
  public Path writeKeyStore(
      Path file, String distinguishedName, List<String> hostNames, List<String> ipAddresses) {
    try {
      KeyPair leafKeys = newKeys();
      X509v3CertificateBuilder builder =
          builder(
              new X500Name(certificate.getSubjectX500Principal().getName()),
              new X500Name(distinguishedName),
              leafKeys);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          extensions.createAuthorityKeyIdentifier(certificate));
      List<GeneralName> names = new ArrayList<>();
      hostNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
      ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
      if (!names.isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      X509Certificate leaf = sign(builder, keys);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "key",
          leafKeys.getPrivate(),
          password.toCharArray(),
          new Certificate[] {leaf, certificate});
      return write(store, file);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("Cannot write key store " + file + ": " + e, e);
    }
  }

  private Path write(KeyStore store, Path file) throws GeneralSecurityException, IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }

  private static KeyPair newKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(64, RANDOM).add(BigInteger.ONE),
        // A little in the past, so that a clock a second behind does not see a future certificate.
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate())));
  }
}
