package io.herald.drain;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/** On an application server, drains the node when the WAR is undeployed or the server stops. */
@WebListener
public class DrainOnUndeploy implements ServletContextListener {

    @Inject
    Drain drain;

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        drain.run();
    }
}
