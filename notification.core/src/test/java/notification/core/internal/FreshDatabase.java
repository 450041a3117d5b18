package notification.core.internal;

import java.util.ArrayList;
import java.util.List;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for a test class and a new, empty database for each of its tests; what a test opens on it
 * is closed, newest first, before the database is dropped.
 */
final class FreshDatabase implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final String prefix;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private PostgresServer server;
    private String name;

    /** @param prefix the start of each database's name, saying which test made it */
    FreshDatabase(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = PostgresServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        name = prefix + "_" + Long.toHexString(System.nanoTime());
        server.createDatabase(name);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
        server.dropDatabase(name);
    }

    PostgresServer server() {
        return server;
    }

    /** @return this test's database's name */
    String name() {
        return name;
    }

    /** @return this test's database's JDBC URL */
    String url() {
        return server.jdbcUrl(name);
    }

    /** Closes {@code resource} after the test, before the database is dropped. */
    <T extends AutoCloseable> T closedAfter(T resource) {
        opened.add(resource);
        return resource;
    }
}
