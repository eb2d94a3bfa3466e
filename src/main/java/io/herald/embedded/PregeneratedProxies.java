package io.herald.embedded;

import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A build step for the embedded jar: Weld's client proxies and interceptor subclasses for Herald's beans, generated
 * once at build time instead of on every start.
 *
 * <p>Weld looks a proxy class up by its name before it generates one ({@code ProxyFactory.getProxyClass}), so proxy
 * classes found on the class path are loaded like any other class: no bytecode generation, no verification of
 * freshly defined classes, and they go into the launcher's class-data archive with the rest. This boots the embedded
 * server once with Weld's proxy dump on, asks for a reference to every normal-scoped Herald bean (which makes its
 * client proxy; interceptor subclasses are made while Weld deploys), and writes the classes into a copy of the class
 * tree that the embedded jar is built from. Only classes in Herald's own packages, with names that a later start
 * looks for, are kept: proxies of JDK, Jakarta or library types are left to Weld, which defines them in packages of
 * its own. The WAR and the classes jar never
 * hold these classes: an application server's Weld makes its own. The jar's bean index (jandex-maven-plugin, made
 * from target/classes before the proxies are added) is what keeps Weld from taking the proxies for beans: they
 * inherit their bean's scope annotation.
 *
 * <pre>PregeneratedProxies &lt;classes dir&gt; &lt;output dir&gt;</pre>
 * (run by the {@code weld-proxies} execution in pom.xml, phase prepare-package)
 */
public final class PregeneratedProxies {

    private static final String DUMP_KEY = "org.jboss.weld.proxy.dump";
    private static final String HERALD_PACKAGE = "io.herald.";
    /** Weld's bean discovery in the embedded jar reads this index (made before the proxies are added). */
    private static final String JANDEX_INDEX = "META-INF/jandex.idx";
    /**
     * A proxy whose bean types are interfaces only (a producer's {@code EventBroker}) is named with the hash of its
     * bean's identifier, which holds the container's random id and the class path entry: no start would find it.
     */
    static final Pattern BEAN_ID_HASH = Pattern.compile("\\$\\d+\\$Proxy\\$");

    private PregeneratedProxies() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: PregeneratedProxies <classes dir> <output dir>");
        }
        Path classes = Path.of(args[0]);
        Path out = Path.of(args[1]);
        if (!Files.isRegularFile(classes.resolve(JANDEX_INDEX))) {
            // a proxy inherits its bean's scope annotation: found by reading class files, it would be a second bean
            throw new IllegalStateException(classes.resolve(JANDEX_INDEX) + " is missing (jandex-maven-plugin):"
                    + " without the index Weld would discover the proxies placed beside it as beans");
        }
        Path dump = Files.createTempDirectory("herald-weld-proxies");
        Logger.getLogger("").setLevel(Level.WARNING); // the server's start-up lines are noise in a build log
        try {
            System.setProperty(DUMP_KEY, dump.toString());
            generate();
            deleteTree(out);
            copyTree(classes, out);
            List<String> kept = place(dump, out);
            System.out.println("PregeneratedProxies: " + kept.size() + " Weld proxy classes for Herald's beans in "
                    + out);
            if (kept.isEmpty()) {
                throw new IllegalStateException("Weld dumped no proxy classes for Herald's beans into " + dump);
            }
        } finally {
            deleteTree(dump);
        }
        // Weld's and Grizzly's non-daemon threads are gone after close, but a build step must not hang on a straggler
        System.exit(0);
    }

    /** Boots the embedded server on a free loopback port and makes every normal-scoped Herald bean's client proxy. */
    private static void generate() throws IOException {
        // fixed here so that a builder's HERALD_* environment cannot reach out to a Redis or need a key store
        Map<String, String> config = Map.of(
                "herald.broker", "memory",
                "herald.tls.enabled", "false",
                "herald.http.port", "0",
                "herald.http.host", "127.0.0.1",
                "herald.profile", "none",
                "herald.drain.delay-ms", "0",
                "herald.auth.jwt.secret", "herald-build-time-proxies-key-not-used-for-serving");
        try (HeraldServer server = HeraldServer.start(Map.of(), config)) {
            BeanManager beans = server.cdi().getBeanManager();
            for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
                if (bean.getBeanClass().getName().startsWith(HERALD_PACKAGE) && beans.isNormalScope(bean.getScope())) {
                    CreationalContext<?> context = beans.createCreationalContext(bean);
                    beans.getReference(bean, Object.class, context);
                }
            }
        }
    }

    /** Moves each dumped Herald proxy (a file named after its binary class name) to its package directory. */
    private static List<String> place(Path dump, Path out) throws IOException {
        List<String> kept = new ArrayList<>();
        try (Stream<Path> files = Files.list(dump)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (!name.startsWith(HERALD_PACKAGE) || !name.endsWith(".class")
                        || BEAN_ID_HASH.matcher(name).find()) {
                    continue;
                }
                String binaryName = name.substring(0, name.length() - ".class".length());
                Path target = out.resolve(binaryName.replace('.', '/') + ".class");
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                kept.add(binaryName);
            }
        }
        return kept;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
