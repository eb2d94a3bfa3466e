package io.herald.transport;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;

/** HTTP clients that trust exactly the certificate in a test keystore (never "trust all"). */
final class TlsClients {

    private TlsClients() {
    }

    static SSLContext trusting(Path keystore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance(keystore.toFile(), password.toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("herald", store.getCertificate("herald"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static HttpClient client(Path keystore, String password, HttpClient.Version version) throws Exception {
        return HttpClient.newBuilder().sslContext(trusting(keystore, password)).version(version)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
