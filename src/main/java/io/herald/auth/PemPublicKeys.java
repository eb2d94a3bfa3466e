package io.herald.auth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads RSA and EC public keys from PEM text (or a file holding it): SPKI public keys or X.509 certificates. */
final class PemPublicKeys {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemPublicKeys() {
    }

    /** {@code value} is PEM text when it holds a BEGIN line, else a file path. */
    static List<JWK> read(String value) {
        String pem = value;
        if (!value.contains("-----BEGIN")) {
            try {
                pem = Files.readString(Path.of(value.trim()), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalStateException("herald.auth.jwt.public-key: cannot read file " + value.trim(), e);
            }
        }
        List<JWK> keys = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            keys.add(toJwk(m.group(1), der));
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("herald.auth.jwt.public-key holds no PEM PUBLIC KEY or CERTIFICATE block");
        }
        return keys;
    }

    private static JWK toJwk(String type, byte[] der) {
        try {
            PublicKey key = switch (type) {
                case "PUBLIC KEY" -> publicKey(der);
                case "CERTIFICATE" -> CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
                default -> throw new IllegalStateException("herald.auth.jwt.public-key: a " + type
                        + " block is not a public key (use BEGIN PUBLIC KEY or BEGIN CERTIFICATE)");
            };
            if (key instanceof RSAPublicKey rsa) {
                return new RSAKey.Builder(rsa).build();
            }
            if (key instanceof ECPublicKey ec) {
                return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
            }
            throw new IllegalStateException("herald.auth.jwt.public-key: only RSA and EC keys are supported");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("herald.auth.jwt.public-key: not a valid public key", e);
        }
    }

    private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePublic(spec);
        }
    }
}
