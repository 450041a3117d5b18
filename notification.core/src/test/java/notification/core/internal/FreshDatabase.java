package notification.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A new, empty database for each test, on the one real PostgreSQL server of the test JVM; what a test opens on it is
 * closed, newest first, before the database is dropped. A test may halt the server if it resumes it before it ends
 * (tests run one at a time).
 */
final class FreshDatabase implements BeforeEachCallback, AfterEachCallback {
    private final String prefix;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private String name;

    /** @param prefix the start of each database's name, saying which test made it */
    FreshDatabase(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        name = prefix + "_" + Long.toHexString(System.nanoTime());
        server().createDatabase(name);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
        server().dropDatabase(name);
    }

    /** @return the server, started at the JVM's first use */
    PostgresServer server() {
        return JvmServer.SERVER;
    }

    /** @return this test's database's name */
    String name() {
        return name;
    }

    /** @return this test's database's JDBC URL */
    String url() {
        return server().jdbcUrl(name);
    }

    /** Closes {@code resource} after the test, before the database is dropped. */
    <T extends AutoCloseable> T closedAfter(T resource) {
        opened.add(resource);
        return resource;
    }

    /**
     * The server of the whole JVM, started when first asked for, stopped when the JVM ends. Not in JUnit's root store:
     * PIT runs each test through a launcher of its own, and the root store ends with each.
     */
    private static final class JvmServer {
        static final PostgresServer SERVER = start();

        private static PostgresServer start() {
            try {
                PostgresServer server = PostgresServer.start();
                try {
                    return server.stopWhenThisJvmEnds();
                } catch (IOException e) {
                    server.close();
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
