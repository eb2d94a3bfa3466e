package io.herald.api;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.ext.Provider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Herald's application names its classes; a resource or provider added later must be named there too. */
class HeraldApplicationTest {

    @Test
    void listsEveryResourceAndProviderOfHerald() throws IOException, URISyntaxException {
        java.nio.file.Path classes = java.nio.file.Path.of(HeraldApplication.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI());
        Set<String> annotated = new TreeSet<>();
        try (Stream<java.nio.file.Path> files = Files.walk(classes.resolve("io/herald"))) {
            files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$"))
                    .map(f -> classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .filter(name -> !name.startsWith("io.herald.embedded."))
                    .forEach(name -> {
                        Class<?> type = load(name);
                        if (type.isAnnotationPresent(Path.class) || type.isAnnotationPresent(Provider.class)) {
                            annotated.add(name);
                        }
                    });
        }
        Set<String> listed = new TreeSet<>();
        new HeraldApplication().getClasses().forEach(c -> listed.add(c.getName()));
        assertEquals(annotated, listed, "HeraldApplication.CLASSES must name every @Path and @Provider class");
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, HeraldApplicationTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
