package io.herald.embedded;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.herald.api.ApiException;
import io.herald.api.JsonBody;
import io.herald.channel.ChannelName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.herald.api.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/demo/login}: the demo profile's login. Anyone gets a short-lived token for the name they give
 * (a random guest name otherwise), granting every channel and the admin views, so the demo pages work out of the
 * box. Answers 404 unless {@code herald.profile=demo}; the class is not in the WAR at all.
 */
@ApplicationScoped
@Path("demo/login")
public class DemoLoginResource {

    /** The most a login body may hold: {@code {"name": "..."}}. */
    static final int MAX_BODY = 4096;

    @Inject
    @ConfigProperty(name = DemoProfile.KEY, defaultValue = "prod")
    String profile;
    @Inject
    @ConfigProperty(name = "herald.auth.jwt.secret")
    Optional<String> secret;
    @Inject
    @ConfigProperty(name = "herald.demo.token-ttl-ms", defaultValue = "300000")
    long ttlMs;

    private final SecureRandom random = new SecureRandom();

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response login(InputStream body) throws JOSEException {
        if (!DemoProfile.NAME.equals(profile) || secret.isEmpty()) {
            throw ApiException.notFound("not_found", "There is no demo login outside the demo profile");
        }
        String subject = subject(JsonBody.readText(body, MAX_BODY));
        Instant expires = Instant.now().plusMillis(ttlMs);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(new Date())
                .expirationTime(Date.from(expires))
                .claim("herald", Map.of(
                        "subscribe", List.of("**"),
                        "publish", List.of("**"),
                        "permissions", List.of("admin", "demo")))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.get().getBytes(StandardCharsets.UTF_8)));
        String json = Jsons.JSON.createObjectBuilder()
                .add("token", jwt.serialize())
                .add("subject", subject)
                .add("expiresAt", expires.toString())
                .add("demo", true)
                .add("warning", "Demo profile: anyone can get this token. Not for production.")
                .build().toString();
        return Response.ok(json, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
    }

    private String subject(String body) {
        String name = null;
        if (!body.isBlank()) {
            try (var reader = Jsons.JSON.createReader(new java.io.StringReader(body))) {
                JsonValue v = reader.readValue();
                if (v instanceof JsonObject o && o.get("name") instanceof JsonString s) {
                    name = s.getString().trim().replaceAll("[^A-Za-z0-9_:-]", "-");
                }
            } catch (RuntimeException e) {
                throw ApiException.badRequest("invalid_json", "Send {\"name\": \"...\"} or nothing");
            }
        }
        if (name == null || name.isEmpty() || name.length() > 64 || !ChannelName.isValidSegment(name)) {
            name = "guest-" + Integer.toString(random.nextInt(1_000_000), 36);
        }
        return name;
    }
}
