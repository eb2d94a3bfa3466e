package io.herald.auth;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a JWKS from a local file, so a file source gets the same caching and refresh-on-unknown-kid as a URL. */
final class JwksFileRetriever implements ResourceRetriever {

    private static final long MAX_BYTES = 1024 * 1024;

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        try {
            Path path = Path.of(url.toURI());
            if (Files.size(path) > MAX_BYTES) {
                throw new IOException("JWKS file over 1 MiB: " + path);
            }
            return new Resource(Files.readString(path, StandardCharsets.UTF_8), "application/json");
        } catch (URISyntaxException e) {
            throw new IOException("not a file URL: " + url, e);
        }
    }
}
