package io.herald.embedded;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.servlet.Filter;
import jakarta.servlet.annotation.WebFilter;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.StaticHttpHandler;
import org.glassfish.grizzly.servlet.FilterRegistration;
import org.glassfish.grizzly.servlet.ServletRegistration;
import org.glassfish.grizzly.servlet.WebappContext;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Runs Herald without an application server: Weld SE for CDI, then a Grizzly servlet container with Jersey and
 * the same servlet filters the WAR registers. Used for development, tests and single-binary deployments.
 */
public final class HeraldServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HeraldServer.class.getName());

    private final SmallRyeConfig config;
    private final WeldContainer weld;
    private final HttpServer http;
    private final URI baseUri;

    private HeraldServer(SmallRyeConfig config, WeldContainer weld, HttpServer http, URI baseUri) {
        this.config = config;
        this.weld = weld;
        this.http = http;
        this.baseUri = baseUri;
    }

    public static void main(String[] args) throws Exception {
        // The launcher's default run is the demo profile; any configured herald.profile wins.
        HeraldServer server = start(Map.of(DemoProfile.KEY, DemoProfile.NAME), Map.of());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "herald-shutdown"));
        if (server.isDemo()) {
            System.out.println(DemoProfile.banner(server.baseUri().toString()));
        }
        long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("Herald listening on " + server.baseUri() + " (ready " + sinceJvmStart
                + " ms after JVM start)");
        Thread.currentThread().join();
    }

    /** Starts a server; {@code overrides} win over system properties, environment and defaults. */
    public static HeraldServer start(Map<String, String> overrides) throws IOException {
        return start(Map.of(), overrides);
    }

    /**
     * Starts a server with {@code launcherDefaults} below every other source and {@code overrides} above them all.
     * With {@code herald.profile=demo}, the demo profile's settings come in just above the launcher defaults.
     */
    public static HeraldServer start(Map<String, String> launcherDefaults, Map<String, String> overrides)
            throws IOException {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        SmallRyeConfig config = config(cl, launcherDefaults, Map.of(), overrides);
        if (DemoProfile.NAME.equals(config.getOptionalValue(DemoProfile.KEY, String.class).orElse(""))) {
            config = config(cl, launcherDefaults, DemoProfile.settings(), overrides);
        }
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        releaseQuietly(resolver, cl);
        resolver.registerConfig(config, cl);
        WeldContainer weld = new Weld().initialize();
        HttpServer http = null;
        try {
            String host = config.getOptionalValue("herald.http.host", String.class).orElse("0.0.0.0");
            int port = config.getOptionalValue("herald.http.port", Integer.class).orElse(8080);
            http = new HttpServer();
            NetworkListener listener = new NetworkListener("herald", host, port);
            // Bytes Grizzly may hold for one connection before isReady() turns false; past it, a stalled client
            // fills its own Herald queue and is dropped, instead of growing Grizzly's write queue without bound.
            listener.setMaxPendingBytes(config.getOptionalValue("herald.http.max-pending-bytes", Integer.class)
                    .orElse(256 * 1024));
            // room for an 8 KiB token in a header or query string, so Herald itself answers the 401 for a larger one
            listener.setMaxHttpHeaderSize(16 * 1024);
            // A fixed socket send buffer (SO_SNDBUF) instead of the kernel's auto-tuning, which lets a stalled
            // client's socket soak up megabytes before Herald notices and drops it.
            int sendBuffer = config.getOptionalValue("herald.http.socket-send-buffer-bytes", Integer.class).orElse(65536);
            if (sendBuffer > 0) {
                listener.getTransport().setWriteBufferSize(sendBuffer);
            }
            http.addListener(listener);

            WebappContext context = new WebappContext("herald", "");
            ServletRegistration jaxrs = context.addServlet("jaxrs",
                    new ServletContainer(new ResourceConfig().packages(true, "io.herald")));
            jaxrs.addMapping("/api/*");
            jaxrs.setAsyncSupported(true);
            jaxrs.setLoadOnStartup(1);
            // Grizzly gives each webapp a class loader of its own; requests must see the config registered above
            FilterRegistration loader = context.addFilter("herald-context-loader", new ContextClassLoaderFilter(cl));
            loader.addMappingForUrlPatterns(null, "/*");
            loader.setAsyncSupported(true);
            for (Class<? extends Filter> type : HeraldFilters.ALL) {
                WebFilter spec = type.getAnnotation(WebFilter.class);
                FilterRegistration filter = context.addFilter(spec.filterName(), weld.select(type).get());
                filter.addMappingForUrlPatterns(null, spec.urlPatterns());
                filter.setAsyncSupported(spec.asyncSupported());
            }
            context.deploy(http);

            Path webapp = Path.of(config.getOptionalValue("herald.webapp.dir", String.class).orElse("webapp"));
            if (Files.isDirectory(webapp)) {
                http.getServerConfiguration().addHttpHandler(new StaticHttpHandler(webapp.toString()), "/");
            }
            http.getServerConfiguration().setDefaultErrorPageGenerator(new JsonErrorPages());
            http.start();
            String shownHost = "0.0.0.0".equals(host) ? "localhost" : host;
            URI base = URI.create("http://" + shownHost + ":" + listener.getPort() + "/");
            return new HeraldServer(config, weld, http, base);
        } catch (IOException | RuntimeException e) {
            if (http != null) {
                http.shutdownNow();
            }
            weld.shutdown();
            throw e;
        }
    }

    private static void releaseQuietly(ConfigProviderResolver resolver, ClassLoader loader) {
        try {
            resolver.releaseConfig(resolver.getConfig(loader));
        } catch (IllegalStateException ignored) {
            // none registered yet
        }
    }

    private static SmallRyeConfig config(ClassLoader cl, Map<String, String> launcherDefaults,
                                         Map<String, String> profile, Map<String, String> overrides) {
        return new SmallRyeConfigBuilder()
                .forClassLoader(cl)
                .addDefaultSources()
                .addDiscoveredSources()
                .addDiscoveredConverters()
                .withSources(new PropertiesConfigSource(new HashMap<>(launcherDefaults), "herald-launcher", 50))
                .withSources(new PropertiesConfigSource(new HashMap<>(profile), "herald-profile", DemoProfile.ORDINAL))
                .withSources(new PropertiesConfigSource(new HashMap<>(overrides), "herald-overrides", 1000))
                .build();
    }

    /** Whether this server runs the demo profile. */
    public boolean isDemo() {
        return DemoProfile.NAME.equals(config.getOptionalValue(DemoProfile.KEY, String.class).orElse(""));
    }

    public URI baseUri() {
        return baseUri;
    }

    public int port() {
        return baseUri.getPort();
    }

    public WeldContainer cdi() {
        return weld;
    }

    public SmallRyeConfig config() {
        return config;
    }

    /** Closes every stream cleanly (clients reconnect elsewhere), then stops the HTTP server. */
    @Override
    public void close() {
        try {
            if (weld.isRunning()) {
                weld.shutdown();
            }
        } finally {
            http.shutdownNow();
            LOG.fine("Herald stopped");
        }
    }
}
