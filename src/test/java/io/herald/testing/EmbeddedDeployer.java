package io.herald.testing;

import io.herald.embedded.HeraldServer;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;

import java.io.InputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Arquillian's {@link Deployer} for the embedded target: deploying a named {@code @Deployment} starts an embedded
 * Herald configured like that archive; undeploying closes it as an undeploy does (every stream closed cleanly).
 */
final class EmbeddedDeployer implements Deployer {

    private final Class<?> testClass;
    private final Map<String, HeraldServer> servers = new HashMap<>();

    EmbeddedDeployer(Class<?> testClass) {
        this.testClass = testClass;
    }

    @Override
    public synchronized void deploy(String name) {
        try {
            servers.put(name, EmbeddedDeployments.start(testClass, EmbeddedDeployments.archive(testClass, name)));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot deploy " + name, e);
        }
    }

    @Override
    public synchronized void undeploy(String name) {
        HeraldServer server = servers.remove(name);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public InputStream getDeployment(String name) {
        return EmbeddedDeployments.archive(testClass, name).as(ZipExporter.class).exportAsInputStream();
    }

    synchronized URI base(String name) {
        HeraldServer server = servers.get(name);
        if (server == null) {
            throw new IllegalStateException(name + " is not deployed");
        }
        return server.baseUri();
    }

    synchronized void undeployAll() {
        servers.keySet().stream().toList().forEach(this::undeploy);
    }

}
