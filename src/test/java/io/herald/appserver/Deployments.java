package io.herald.appserver;

import io.herald.appserver.hooks.CdiPublishResource;
import io.herald.appserver.hooks.ConfigResource;
import io.herald.appserver.hooks.TestHooksApplication;
import io.herald.testing.TestTokens;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

/** The archives the app-server suite deploys. */
final class Deployments {

    static final File HERALD_WAR = new File("target/herald.war");

    /**
     * The security settings every deployment of the suite carries (the WAR ships secure defaults: no key, no public
     * channel, limits on): tokens signed with {@link TestTokens#SECRET}, the suite's test channels readable without
     * a token ({@code private.**} is not), and no per-address limits, since every client here is 127.0.0.1.
     */
    static final String[] SECURITY = {
            "herald.auth.jwt.secret=" + TestTokens.SECRET,
            "herald.auth.public-channels=as.**,lc.**,cfg.**,shop.**",
            "herald.limits.streams-per-subject=0", "herald.limits.streams-per-address=0",
            "herald.limits.publish-per-second=0"};

    private Deployments() {
    }

    /**
     * The WAR the build produced, unchanged, plus the test hooks and a {@code microprofile-config.properties} with
     * {@link #SECURITY} and the given {@code key=value} lines. Its name is its context root.
     */
    static WebArchive herald(String name, String... config) {
        if (!HERALD_WAR.isFile()) {
            throw new IllegalStateException(HERALD_WAR + " is missing: the suite runs in `mvn verify`, after package");
        }
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .merge(ShrinkWrap.createFromZipFile(WebArchive.class, HERALD_WAR))
                .addClasses(TestHooksApplication.class, CdiPublishResource.class, ConfigResource.class)
                .addAsResource(config(config), "META-INF/microprofile-config.properties");
    }

    static StringAsset config(String... lines) {
        return new StringAsset(String.join("\n", SECURITY) + "\n" + String.join("\n", lines) + "\n");
    }
}
