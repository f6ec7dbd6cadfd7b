package web;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Answers a greeting, logging who asked (with log4j-core 2.14.1: a JNDI lookup in the name runs). */
public final class Server {
    private static final Logger LOG = LogManager.getLogger(Server.class);

    private Server() {
    }

    public static String greet(String name) {
        LOG.info("greeting {}", name);
        return "Hello, " + name;
    }
}
