package io.herald.embedded;

import io.herald.api.HeraldApplication;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.annotation.WebFilter;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.StaticHttpHandler;
import org.glassfish.grizzly.http2.Http2AddOn;
import org.glassfish.grizzly.http2.Http2Configuration;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.ssl.SSLEngineConfigurator;
import org.glassfish.grizzly.servlet.FilterRegistration;
import org.glassfish.grizzly.servlet.ServletRegistration;
import org.glassfish.grizzly.servlet.WebappContext;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import io.herald.drain.Drain;
import io.herald.metrics.MetricsServlet;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Runs Herald without an application server: Weld SE for CDI, then a Grizzly servlet container with Jersey and
 * the same servlet filters the WAR registers. Used for development, tests and single-binary deployments.
 */
public final class HeraldServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HeraldServer.class.getName());
    private static final String WELD_XML_VALIDATION_OFF = "org.jboss.weld.xml.disableValidating";

    private final SmallRyeConfig config;
    private final WeldContainer weld;
    private final HttpServer http;
    private final HttpServer redirect;
    private final URI baseUri;
    private final URI redirectUri;
    private final StartupTimeline timeline;
    private final List<ExecutorService> workerPools;

    private HeraldServer(SmallRyeConfig config, WeldContainer weld, HttpServer http, URI baseUri, HttpServer redirect,
                         URI redirectUri, StartupTimeline timeline, List<ExecutorService> workerPools) {
        this.config = config;
        this.weld = weld;
        this.http = http;
        this.baseUri = baseUri;
        this.redirect = redirect;
        this.redirectUri = redirectUri;
        this.timeline = timeline;
        this.workerPools = workerPools;
    }

    public static void main(String[] args) throws Exception {
        // The launcher's default run is the demo profile; any configured herald.profile wins.
        HeraldServer server = start(Map.of(DemoProfile.KEY, DemoProfile.NAME), Map.of());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // JUL may already be reset by its own shutdown hook, so the drain is announced here
            System.out.println("Herald draining (readiness down, then streams closed) and stopping");
            server.close();
            System.out.println("Herald stopped");
        }, "herald-shutdown"));
        if (server.isDemo()) {
            System.out.println(DemoProfile.banner(server.baseUri().toString()));
        }
        System.out.println("Herald listening on " + server.baseUri() + " (ready " + server.timeline.total()
                + " ms after JVM start: " + server.timeline + ")");
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
        return start(launcherDefaults, overrides, List.of());
    }

    /**
     * Starts a server that also mounts an enterprise app's own JAX-RS applications, each at its
     * {@code @ApplicationPath}, next to Herald's {@code /api}, as a WAR that extends Herald does on a server.
     */
    public static HeraldServer start(Map<String, String> launcherDefaults, Map<String, String> overrides,
                                     List<Class<? extends Application>> applications)
            throws IOException {
        StartupTimeline timeline = new StartupTimeline();
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        SmallRyeConfig config = config(cl, launcherDefaults, Map.of(), overrides);
        if (DemoProfile.NAME.equals(config.getOptionalValue(DemoProfile.KEY, String.class).orElse(""))) {
            config = config(cl, launcherDefaults, DemoProfile.settings(), overrides);
        }
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        releaseQuietly(resolver, cl);
        resolver.registerConfig(config, cl);
        // Weld validates beans.xml against its XML schema unless told not to: a few hundred ms of every start spent
        // compiling the schema, for two files fixed at build time. Weld reads this key from system properties only.
        if (System.getProperty(WELD_XML_VALIDATION_OFF) == null) {
            System.setProperty(WELD_XML_VALIDATION_OFF, "true");
        }
        timeline.mark("config");
        // no Weld shutdown hook of its own: on SIGTERM the launcher's hook drains first, then stops CDI
        WeldContainer weld = new Weld().property("org.jboss.weld.se.shutdownHook", false).initialize();
        timeline.mark("cdi");
        HttpServer http = null;
        HttpServer redirect = null;
        List<ExecutorService> workerPools = new ArrayList<>();
        try {
            String host = config.getOptionalValue("herald.http.host", String.class).orElse("0.0.0.0");
            int port = config.getOptionalValue("herald.http.port", Integer.class).orElse(8080);
            // Bytes Grizzly may hold for one connection before isReady() turns false; past it, a stalled client
            // fills its own Herald queue and is dropped, instead of growing Grizzly's write queue without bound.
            int maxPending = config.getOptionalValue("herald.http.max-pending-bytes", Integer.class).orElse(256 * 1024);
            http = new HttpServer();
            NetworkListener plain = new NetworkListener("herald", host, port);
            plain.registerAddOn(new InvalidUriAddOn());
            plain.registerAddOn(new DetachedStreams());
            plain.setMaxPendingBytes(maxPending);
            boolean parseOnWorkers = config.getOptionalValue("herald.http.parse-on-workers", Boolean.class).orElse(true);
            parseOnWorkers(plain, parseOnWorkers);
            int maxWorkers = config.getOptionalValue("herald.http.max-worker-threads", Integer.class).orElse(64);
            long stuckAfter = config.getOptionalValue("herald.http.worker-stuck-after-ms", Long.class).orElse(50L);
            workerPools.add(workerPool(plain, maxWorkers, stuckAfter));
            selectorThreads(plain, config.getOptionalValue("herald.http.selector-threads", Integer.class).orElse(0));
            // room for an 8 KiB token in a header or query string, so Herald itself answers the 401 for a larger one
            plain.setMaxHttpHeaderSize(16 * 1024);
            AcceptedSocketOptions.install(plain.getTransport());
            // A fixed socket send buffer (SO_SNDBUF) instead of the kernel's auto-tuning, which lets a stalled
            // client's socket soak up megabytes before Herald notices and drops it. Plain HTTP/1.1 streams get it
            // set on their socket by GrizzlyDirectStreams; over TLS Grizzly applies it where it raises the buffer.
            // Not on the plain transport: Grizzly would read every accepted socket's buffer for it (a getsockopt).
            int sendBuffer = config.getOptionalValue("herald.http.socket-send-buffer-bytes", Integer.class).orElse(65536);
            NetworkListener listener = plain;
            boolean tls = TlsSetup.enabled(config);
            if (tls) {
                listener = new NetworkListener("herald-https", host,
                        config.getOptionalValue("herald.https.port", Integer.class).orElse(8443));
                listener.registerAddOn(new InvalidUriAddOn());
                AcceptedSocketOptions.install(listener.getTransport());
                listener.setMaxPendingBytes(maxPending);
                workerPools.add(workerPool(listener, maxWorkers, stuckAfter));
                listener.setMaxHttpHeaderSize(16 * 1024);
                if (sendBuffer > 0) {
                    listener.getTransport().setWriteBufferSize(sendBuffer);
                }
                listener.setSecure(true);
                listener.setSSLEngineConfig(new SSLEngineConfigurator(TlsSetup.context(config), false, false, false));
                if (config.getOptionalValue("herald.http2.enabled", Boolean.class).orElse(true)) {
                    // h2 is offered through the JDK's ALPN; clients without it keep HTTP/1.1 on the same port
                    listener.registerAddOn(new Http2AddOn(Http2Configuration.builder()
                            .maxConcurrentStreams(config.getOptionalValue("herald.http2.max-concurrent-streams",
                                    Integer.class).orElse(1000))
                            .build()));
                    // an HTTP/2 refusal given before the request's body was all sent resets that stream after it
                    http.getServerConfiguration().getMonitoringConfig().getWebServerConfig()
                            .addProbes(new Http2EarlyAnswers());
                }
                http.addListener(listener);
                if (config.getOptionalValue("herald.tls.redirect", Boolean.class).orElse(true)) {
                    redirect = new HttpServer();
                    redirect.addListener(plain);
                    redirect.getServerConfiguration().addHttpHandler(new HttpsRedirect(listener), "/");
                } else {
                    http.addListener(plain);
                }
            } else {
                http.addListener(plain);
            }

            WebappContext context = new WebappContext("herald", "");
            // Herald's resources as the WAR mounts them, plus the embedded-only demo login (404 unless demo)
            mount(context, HeraldApplication.class, new ResourceConfig(new HeraldApplication().getClasses())
                    .register(DemoLoginResource.class));
            for (Class<? extends Application> application : applications) {
                mount(context, application, ResourceConfig.forApplicationClass(application));
            }
            // Grizzly gives each webapp a class loader of its own; requests must see the config registered above
            FilterRegistration loader = context.addFilter("herald-context-loader", new ContextClassLoaderFilter(cl));
            loader.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), "/*");
            loader.setAsyncSupported(true);
            ServletRegistration metrics = context.addServlet("herald-metrics", weld.select(MetricsServlet.class).get());
            metrics.addMapping("/metrics");
            ServletRegistration health = context.addServlet("herald-health", new HealthEndpoints(weld));
            health.addMapping("/health", "/health/*");
            for (Class<? extends Filter> type : HeraldFilters.ALL) {
                WebFilter spec = type.getAnnotation(WebFilter.class);
                FilterRegistration filter = context.addFilter(spec.filterName(), weld.select(type).get());
                filter.addMappingForUrlPatterns(EnumSet.copyOf(Arrays.asList(spec.dispatcherTypes())), spec.urlPatterns());
                filter.setAsyncSupported(spec.asyncSupported());
            }
            context.deploy(http);
            timeline.mark("jax-rs");

            Path webapp = Path.of(config.getOptionalValue("herald.webapp.dir", String.class).orElse("webapp"));
            if (Files.isDirectory(webapp)) {
                http.getServerConfiguration().addHttpHandler(new StaticHttpHandler(webapp.toString()), "/");
            }
            http.getServerConfiguration().addHttpHandler(InvalidUriAddOn.handler(), InvalidUriAddOn.PATH);
            http.getServerConfiguration().setDefaultErrorPageGenerator(new JsonErrorPages());
            http.start();
            if (redirect != null) {
                redirect.start();
            }
            String shownHost = "0.0.0.0".equals(host) ? "localhost" : host;
            URI base = URI.create((tls ? "https://" : "http://") + shownHost + ":" + listener.getPort() + "/");
            URI redirectBase = redirect == null ? null : URI.create("http://" + shownHost + ":" + plain.getPort() + "/");
            timeline.mark("listen");
            return new HeraldServer(config, weld, http, base, redirect, redirectBase, timeline, workerPools);
        } catch (IOException | RuntimeException e) {
            if (http != null) {
                http.shutdownNow();
            }
            if (redirect != null) {
                redirect.shutdownNow();
            }
            workerPools.forEach(ExecutorService::shutdownNow);
            weld.shutdown();
            throw e;
        }
    }

    /** One Jersey servlet per JAX-RS application, mapped at its {@code @ApplicationPath}: the WAR's resources, no scanning. */
    private static void mount(WebappContext context, Class<? extends Application> application, ResourceConfig resources) {
        // No WADL: it needs JAXB, which the embedded runtime does not ship, and looking for it costs every start
        resources.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        String path = application.getAnnotation(ApplicationPath.class).value().replaceAll("^/*|/*$", "");
        ServletRegistration jaxrs = context.addServlet(application.getName(), new ServletContainer(resources));
        jaxrs.addMapping(path.isEmpty() ? "/*" : "/" + path + "/*");
        jaxrs.setAsyncSupported(true);
        jaxrs.setLoadOnStartup(1);
    }

    /**
     * Has a listener read and parse requests on its worker threads, which then serve them too, instead of on its
     * selector threads, which hand each parsed request to a worker (Grizzly's default for a NetworkListener). Grizzly
     * pools a request's objects (about 20 KiB: the request, its response, header and parameter chunks) per thread;
     * made on a selector thread and freed on a worker, they were never reused, so every request made them anew.
     * Measured in docs/performance.md ("Requests made on one thread, freed on another"). Only the plain listener:
     * with it on the TLS listener, twelve concurrent HTTP/2 publishes on one connection never answered
     * (Http2BrowserTest), so TLS and HTTP/2 keep Grizzly's default.
     */
    private static void parseOnWorkers(NetworkListener listener, boolean enabled) {
        if (enabled) {
            listener.getTransport().setIOStrategy(WorkerThreadIOStrategy.getInstance());
        }
    }

    /**
     * One selector thread per core (0) or {@code count}, where Grizzly's default is one more than the cores: the
     * extra selector takes half of the new connections from the one that accepts them, one queued task, one wake-up
     * and one context switch per connection, for selectors that only watch for reads (Herald's writer threads write
     * the streams). Measured in docs/performance.md ("Fewer hand-offs per connection").
     */
    private static void selectorThreads(NetworkListener listener, int count) {
        listener.getTransport().setSelectorRunnersCount(count > 0 ? count
                : Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Gives a listener a worker pool that grows past Grizzly's fixed two threads per core, up to {@code max}, only
     * while workers are stuck in one task for more than {@code stuckAfterMillis} and others wait: a request that
     * blocks (a resource an application adds reading a slow body, a call to a stalled Redis) then holds one thread,
     * not the whole server, and a busy core does not grow the pool ({@link CompensatingWorkerPool}).
     */
    private static ExecutorService workerPool(NetworkListener listener, int max, long stuckAfterMillis) {
        TCPNIOTransport transport = listener.getTransport();
        ThreadPoolConfig config = transport.getWorkerThreadPoolConfig().copy();
        config.setMaxPoolSize(Math.max(max, config.getCorePoolSize())).setMemoryManager(transport.getMemoryManager());
        CompensatingWorkerPool pool = new CompensatingWorkerPool(config, stuckAfterMillis);
        transport.setWorkerThreadPool(pool);
        return pool;
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

    /** The plain-HTTP address that redirects to HTTPS, when TLS is on; empty otherwise. */
    public java.util.Optional<URI> redirectUri() {
        return java.util.Optional.ofNullable(redirectUri);
    }

    public WeldContainer cdi() {
        return weld;
    }

    public SmallRyeConfig config() {
        return config;
    }

    /**
     * A request the drain waited for has left Herald's code but its response may still sit in Grizzly's write queue:
     * a graceful listener shutdown lets it reach the client before {@code shutdownNow} cuts the connections.
     */
    private void finishAnsweredRequests() {
        try {
            // no grace period of Grizzly's own: it would log a warning on every stop; the wait is bounded here
            http.shutdown(-1, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.info(() -> "Graceful HTTP shutdown did not finish, closing the remaining connections: " + e);
        }
    }

    /**
     * Drains (readiness down, then streams closed with a low {@code retry:} so clients reconnect elsewhere, then
     * accepted publishes completed and their answers sent), then stops CDI and the HTTP server.
     */
    @Override
    public void close() {
        try {
            if (weld.isRunning()) {
                weld.select(Drain.class).get().run();
                finishAnsweredRequests();
                weld.shutdown();
            }
        } finally {
            http.shutdownNow();
            if (redirect != null) {
                redirect.shutdownNow();
            }
            // pools a transport was given are the giver's to stop
            workerPools.forEach(ExecutorService::shutdownNow);
            LOG.fine("Herald stopped");
        }
    }
}
