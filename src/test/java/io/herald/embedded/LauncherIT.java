package io.herald.embedded;

import io.herald.testing.Http;
import io.herald.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code server-configs/embedded/herald.sh}, the embedded launcher, as a user runs it after {@code mvn package}: its
 * first start trains the class-data archive, later starts map that archive and serve; a rebuilt jar makes it retrain.
 * On a JDK 25 or newer the archive is the JDK's AOT cache.
 */
class LauncherIT {

    private static final Path SCRIPT = Path.of("server-configs/embedded/herald.sh").toAbsolutePath();
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void firstStartTrainsTheArchiveAndLaterStartsUseIt() throws Exception {
        Path archive = dir.resolve("herald.jsa");

        Started first = start(archive, dir.resolve("first.log"));
        assertTrue(Files.size(archive) > 1_000_000, "the first start wrote the class-data archive");
        assertTrue(Files.readString(first.log).contains("training start"), "the first start trained");
        assertTrue(first.mapsArchive(archive), "the served JVM runs on the archive it trained");
        List<String> jitOptions = jitOptions();
        assertEquals(4, jitOptions.size(), "jit.options holds the four C2 thresholds: " + jitOptions);
        List<String> served = first.commandLine();
        assertTrue(served.containsAll(jitOptions), () -> "on JDK 17 the served JVM gets " + jitOptions + ": " + served);
        stopAndWait(first);

        Started second = start(archive, dir.resolve("second.log"));
        assertFalse(Files.readString(second.log).contains("training start"), "an up-to-date archive is reused");
        assertTrue(second.mapsArchive(archive), "the second start maps the archive");
        assertEquals(200, Http.get(second.base, "api/events/poll?channel=launcher&wait=0").statusCode(),
                "the launched server serves the API, not only its health check");
        stopAndWait(second);
    }

    @Test
    void anArchiveOlderThanHeraldsJarIsRetrained() throws Exception {
        Path archive = dir.resolve("stale.jsa");
        Files.writeString(archive, "not an archive");
        // older than every jar on the class path
        Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(0));

        Started s = start(archive, dir.resolve("stale.log"));
        assertTrue(Files.readString(s.log).contains("training start"), "a stale archive is rebuilt");
        assertTrue(Files.size(archive) > 1_000_000, "the rebuilt archive replaced the stale file");
        assertTrue(s.mapsArchive(archive), "the server runs on the rebuilt archive");
        stopAndWait(s);
    }

    @Test
    void onJdk25TheLauncherTrainsAndMapsAnAotCache() throws Exception {
        Path java25 = jdk25().orElse(null);
        Assumptions.assumeTrue(java25 != null, "no JDK 25 or newer under /usr/lib/jvm");
        Path cache = dir.resolve("herald.aot");

        Started first = start(cache, dir.resolve("aot-first.log"), java25);
        assertTrue(Files.readString(first.log).contains("training start for the AOT cache"), "the first start trained");
        assertTrue(Files.size(cache) > 1_000_000, "the JDK wrote its AOT cache");
        assertTrue(first.mapsArchive(cache), "the served JVM runs on the AOT cache it trained");
        List<String> served = first.commandLine();
        assertFalse(served.stream().anyMatch(arg -> arg.startsWith("-XX:Tier4")),
                () -> "on JDK 25 the launcher leaves the C2 thresholds out: " + served);
        stopAndWait(first);

        Started second = start(cache, dir.resolve("aot-second.log"), java25);
        assertFalse(Files.readString(second.log).contains("training start"), "an up-to-date cache is reused");
        assertTrue(second.mapsArchive(cache), "the second start maps the AOT cache");
        assertEquals(200, Http.get(second.base, "api/events/poll?channel=launcher&wait=0").statusCode(),
                "the launched server serves the API on JDK 25");
        stopAndWait(second);
    }

    @Test
    void jitOptionsPrintsTheOptionsAStartGetsOnJdk17() throws Exception {
        // the benchmarks ask the launcher this way, so they run Herald as the launcher would
        assertEquals(jitOptions(), printedJitOptions(null), "on JDK 17: the thresholds of jit.options");
    }

    @Test
    void jitOptionsPrintsNoneOnJdk25() throws Exception {
        Path java25 = jdk25().orElse(null);
        Assumptions.assumeTrue(java25 != null, "no JDK 25 or newer under /usr/lib/jvm");
        assertEquals(List.of(), printedJitOptions(java25), "on JDK 25: none");
    }

    private static List<String> printedJitOptions(Path jdkJava) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "jit-options").redirectErrorStream(true);
        pb.environment().remove("HERALD_JIT_OPTS");
        if (jdkJava != null) {
            pb.environment().put("JAVA", jdkJava.toString());
        }
        Process p = pb.start();
        // a line of output fits the pipe: wait first, so a launcher that hangs fails here instead of blocking the read
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "jit-options returned");
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> "jit-options failed: " + out);
        return java.util.Arrays.stream(out.trim().split("\\s+")).filter(o -> !o.isEmpty()).toList();
    }

    @Test
    void weldLoadsTheProxiesForHeraldsBeansFromTheEmbeddedJarInsteadOfGeneratingThem() throws Exception {
        // HERALD_CDS=off: with an archive, the class-load log names the archive rather than the jar as the source
        Started s = start(Path.of("off"), dir.resolve("proxies.log"), null, "-Xlog:class+load=info");
        assertEquals(200, Http.get(s.base, "api/events/poll?channel=launcher&wait=0").statusCode());
        stopAndWait(s);

        Matcher loaded = Pattern.compile("(?m)\\[class,load\\] (io\\.herald\\.\\S*_\\$\\$_Weld\\S*) source: (.*)$")
                .matcher(Files.readString(s.log));
        List<String> proxies = new ArrayList<>();
        List<String> generated = new ArrayList<>();
        while (loaded.find()) {
            proxies.add(loaded.group(1));
            // a producer's proxy is named after its bean id, which holds the container's random id: always generated
            boolean named = !PregeneratedProxies.BEAN_ID_HASH.matcher(loaded.group(1)).find();
            if (named && !loaded.group(2).contains("herald-embedded.jar")) {
                generated.add(loaded.group(1) + " from " + loaded.group(2));
            }
        }
        assertTrue(proxies.stream().anyMatch(p -> p.endsWith("_$$_WeldClientProxy")), "client proxies loaded: " + proxies);
        assertTrue(proxies.stream().anyMatch(p -> p.endsWith("_$$_WeldSubclass")),
                "interceptor subclasses loaded: " + proxies);
        assertEquals(List.of(), generated, "every Weld proxy for a Herald bean comes from the jar, none is generated");

        for (String artifact : List.of("herald.war", "herald-classes.jar")) {
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(TARGET.resolve(artifact).toFile())) {
                assertFalse(zip.stream().anyMatch(e -> e.getName().contains("_$$_Weld")),
                        artifact + " holds no Weld proxies: an application server's Weld makes its own");
            }
        }
    }

    @Test
    void theEmbeddedJarsBeanIndexListsHeraldsBeansButNotTheProxiesBesideThem() throws Exception {
        // Weld discovers the embedded jar's beans from this index. A proxy subclass inherits its bean's scope
        // annotation (@Inherited), so a discovery that read the jar's class files would find each proxy as a second
        // bean of the same types: ambiguous dependencies, and no start.
        org.jboss.jandex.Index index;
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(TARGET.resolve("herald-embedded.jar").toFile())) {
            java.util.zip.ZipEntry entry = jar.getEntry("META-INF/jandex.idx");
            assertNotNull(entry, "herald-embedded.jar holds META-INF/jandex.idx");
            try (java.io.InputStream in = jar.getInputStream(entry)) {
                index = new org.jboss.jandex.IndexReader(in).read();
            }
        }
        // beans Weld must find: an application-scoped registry, a dependent filter, a start-up observer
        for (Class<?> bean : List.of(io.herald.delivery.ChannelRegistry.class, io.herald.drain.InFlightFilter.class,
                io.herald.delivery.HeraldLifecycle.class)) {
            org.jboss.jandex.ClassInfo info = index.getClassByName(bean.getName());
            assertNotNull(info, bean + " is in the index");
            assertEquals(bean.getDeclaredAnnotations().length, info.declaredAnnotations().stream()
                    .filter(a -> a.runtimeVisible()).count(), "the index has " + bean + "'s annotations");
        }
        assertTrue(index.getKnownClasses().stream().noneMatch(c -> c.name().toString().contains("_$$_Weld")),
                "the proxies beside the classes are not indexed: they are no beans");
        for (String artifact : List.of("herald.war", "herald-classes.jar")) {
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(TARGET.resolve(artifact).toFile())) {
                assertFalse(zip.stream().anyMatch(e -> e.getName().endsWith("jandex.idx")),
                        artifact + " holds no index: an application server indexes the deployment itself");
            }
        }
    }

    /** A java of feature release 25 or newer under /usr/lib/jvm, read from each JDK's release file. */
    private static Optional<Path> jdk25() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> featureRelease(home) >= 25)
                    .map(home -> home.resolve("bin/java"))
                    .findFirst();
        }
    }

    private static int featureRelease(Path home) {
        try {
            String release = Files.readString(home.resolve("release"));
            Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(release);
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException noReleaseFile) {
            return 0;
        }
    }

    private record Started(Process process, URI base, Path log) {
        /** The served JVM's arguments: the launcher exec'd into it, so it has the launcher's pid. */
        List<String> commandLine() throws IOException {
            String raw = Files.readString(Path.of("/proc/" + process.toHandle().pid() + "/cmdline"));
            return List.of(raw.split("\0"));
        }

        boolean mapsArchive(Path archive) throws IOException {
            long pid = process.toHandle().pid();
            return Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream()
                    .anyMatch(line -> line.endsWith(archive.toString()));
        }
    }

    private Started start(Path archive, Path log) throws Exception {
        return start(archive, log, null);
    }

    private Started start(Path archive, Path log, Path java) throws Exception {
        return start(archive, log, java, "");
    }

    private Started start(Path archive, Path log, Path java, String extraJavaOpts) throws Exception {
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HERALD_HOME", TARGET.toString());
        pb.environment().put("HERALD_CDS", archive.toString());
        if (java != null) {
            pb.environment().put("JAVA", java.toString());
        }
        pb.environment().put("HERALD_TRAIN_PORT", String.valueOf(freePort()));
        pb.environment().put("JAVA_OPTS", "-XX:+UseSerialGC -Dherald.http.port=" + port
                + " -Dherald.profile=none -Dherald.drain.delay-ms=0 -Dherald.auth.public-channels=**"
                + " -Dherald.auth.jwt.secret=" + TestTokens.SECRET + " " + extraJavaOpts);
        Process p = pb.start();
        started.add(p);
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), () -> "the launcher exited early:\n" + read(log));
            try {
                if (Http.get(base, "health/ready").statusCode() == 200) {
                    return new Started(p, base, log);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not ready within 90 s:\n" + read(log));
    }

    private static void stopAndWait(Started s) throws InterruptedException {
        s.process.destroy(); // SIGTERM to the JVM: the launcher exec'd into it
        assertTrue(s.process.waitFor(30, TimeUnit.SECONDS), "the server stopped on SIGTERM");
    }

    /** The options in jit.options beside the launcher, comments left out. */
    private static List<String> jitOptions() throws IOException {
        return Files.readAllLines(SCRIPT.resolveSibling("jit.options")).stream()
                .filter(line -> !line.startsWith("#"))
                .flatMap(line -> java.util.Arrays.stream(line.trim().split("\\s+")))
                .filter(option -> !option.isEmpty())
                .toList();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
