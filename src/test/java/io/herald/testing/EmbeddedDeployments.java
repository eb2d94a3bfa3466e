package io.herald.testing;

import io.herald.api.HeraldApplication;
import io.herald.embedded.HeraldServer;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.Node;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads a test class's Arquillian {@code @Deployment} for the embedded runtime: the archive's
 * {@code microprofile-config.properties} becomes the server's configuration and its own JAX-RS applications are
 * mounted next to Herald's, so the embedded server serves what the WAR serves on Payara and WildFly.
 */
final class EmbeddedDeployments {

    private static final String CONFIG = "/WEB-INF/classes/META-INF/microprofile-config.properties";

    private EmbeddedDeployments() {
    }

    /** The deployment methods of a test class. */
    static List<Method> deploymentMethods(Class<?> testClass) {
        List<Method> out = new ArrayList<>();
        for (Method m : testClass.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Deployment.class) && Modifier.isStatic(m.getModifiers())) {
                out.add(m);
            }
        }
        return out;
    }

    static Archive<?> archive(Class<?> testClass, String name) {
        for (Method m : deploymentMethods(testClass)) {
            if (m.getAnnotation(Deployment.class).name().equals(name)) {
                return call(m);
            }
        }
        throw new IllegalArgumentException("No @Deployment named " + name + " in " + testClass.getName());
    }

    static Archive<?> call(Method m) {
        try {
            m.setAccessible(true);
            return (Archive<?>) m.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("@Deployment " + m + " failed", e);
        }
    }

    /**
     * Starts an embedded Herald configured by the archive alone, as the WAR is on a server (none of the embedded
     * test defaults), on a free loopback port.
     */
    static HeraldServer start(Class<?> testClass, Archive<?> archive) throws Exception {
        Map<String, String> config = new java.util.HashMap<>();
        config.put("herald.http.port", "0");
        config.put("herald.http.host", "127.0.0.1");
        if (archive != null) {
            Properties props = new Properties();
            Node node = archive.get(CONFIG);
            if (node != null) {
                try (InputStream in = node.getAsset().openStream()) {
                    props.load(in);
                }
            }
            props.stringPropertyNames().forEach(k -> config.put(k, props.getProperty(k)));
        }
        return HeraldServer.start(Map.of(), config, archive == null ? List.of() : applications(archive));
    }

    /** The archive's JAX-RS applications other than Herald's own. */
    @SuppressWarnings("unchecked")
    static List<Class<? extends Application>> applications(Archive<?> archive) throws ClassNotFoundException {
        List<Class<? extends Application>> out = new ArrayList<>();
        for (ArchivePath path : archive.getContent().keySet()) {
            String p = path.get();
            if (!p.startsWith("/WEB-INF/classes/") || !p.endsWith(".class") || p.contains("$")) {
                continue;
            }
            String name = p.substring("/WEB-INF/classes/".length(), p.length() - 6).replace('/', '.');
            Class<?> type = Class.forName(name, false, EmbeddedDeployments.class.getClassLoader());
            if (Application.class.isAssignableFrom(type) && type != HeraldApplication.class
                    && type.isAnnotationPresent(ApplicationPath.class)) {
                out.add((Class<? extends Application>) type);
            }
        }
        return out;
    }
}
