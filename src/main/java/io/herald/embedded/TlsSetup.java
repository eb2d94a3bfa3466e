package io.herald.embedded;

import org.eclipse.microprofile.config.Config;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The embedded listener's TLS key material, from one of: a keystore ({@code herald.tls.keystore}, PKCS12 or JKS),
 * a PEM certificate chain and PKCS#8 key ({@code herald.tls.cert}, {@code herald.tls.key}), or a self-signed
 * certificate generated on first start when the keystore file is missing and {@code herald.tls.self-signed} allows
 * it (the {@code demo} profile does; {@code herald.tls.enabled=true} then suffices to serve HTTPS).
 */
final class TlsSetup {

    private static final Logger LOG = Logger.getLogger(TlsSetup.class.getName());
    static final String DEFAULT_SELF_SIGNED = "herald-self-signed.p12";

    private TlsSetup() {
    }

    /** Whether the configuration asks for TLS at all. */
    static boolean enabled(Config config) {
        return config.getOptionalValue("herald.tls.enabled", Boolean.class).orElse(false)
                || config.getOptionalValue("herald.tls.keystore", String.class).isPresent()
                || config.getOptionalValue("herald.tls.cert", String.class).isPresent();
    }

    private static boolean selfSigned(Config config) {
        return config.getOptionalValue("herald.tls.self-signed", Boolean.class).orElse(false);
    }

    static SSLContext context(Config config) throws IOException {
        char[] password = config.getOptionalValue("herald.tls.password", String.class).orElse("changeit").toCharArray();
        try {
            KeyStore store;
            var cert = config.getOptionalValue("herald.tls.cert", String.class);
            if (cert.isPresent()) {
                String key = config.getOptionalValue("herald.tls.key", String.class).orElseThrow(() ->
                        new IllegalStateException("herald.tls.cert needs herald.tls.key (a PKCS#8 PEM private key)"));
                store = fromPem(Path.of(cert.get()), Path.of(key), password);
            } else {
                Path file = Path.of(config.getOptionalValue("herald.tls.keystore", String.class)
                        .orElse(DEFAULT_SELF_SIGNED));
                if (!Files.exists(file)) {
                    if (!selfSigned(config)) {
                        throw new IOException("TLS is on but the keystore " + file.toAbsolutePath() + " does not exist:"
                                + " set herald.tls.keystore (or herald.tls.cert and herald.tls.key), or allow a"
                                + " self-signed certificate with herald.tls.self-signed=true");
                    }
                    generateSelfSigned(file, password);
                }
                store = KeyStore.getInstance(file.toFile(), password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot load the TLS key material: " + e.getMessage(), e);
        }
    }

    /** A keystore holding the PEM chain and its key, so that both sources configure Grizzly the same way. */
    static KeyStore fromPem(Path certFile, Path keyFile, char[] password) throws IOException, GeneralSecurityException {
        List<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(certFile)) {
            chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("No certificate in " + certFile);
        }
        String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException(keyFile + " is not a PKCS#8 key (BEGIN PRIVATE KEY); convert it with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
        }
        String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(body));
        String algorithm = chain.get(0).getPublicKey().getAlgorithm();
        PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(spec);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("herald", key, password, chain.toArray(Certificate[]::new));
        return store;
    }

    /** Runs the JDK's keytool once: a P-256 certificate for localhost, valid for a year. */
    static void generateSelfSigned(Path file, char[] password) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ProcessBuilder pb = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "herald",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "365",
                "-dname", "CN=localhost, O=Herald self-signed", "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", new String(password))
                .redirectErrorStream(true);
        Process p = pb.start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool could not create " + file + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while creating " + file, e);
        }
        LOG.warning("Generated a self-signed certificate for localhost in " + file.toAbsolutePath()
                + " (browsers will warn; use herald.tls.keystore or herald.tls.cert/key in production)");
    }
}
