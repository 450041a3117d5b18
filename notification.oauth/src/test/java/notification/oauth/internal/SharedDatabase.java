package notification.oauth.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import notification.testkit.postgresql.PostgresServer;

/**
 * A fresh database on a real PostgreSQL for one test, with a pool per node as {@code notification.store.postgresql}
 * publishes it, and the places ({@link SharedTokens}) the nodes' transports keep their sign-in in.
 */
final class SharedDatabase implements AutoCloseable {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final PostgresServer server;
    private final String database;
    private final List<HikariDataSource> pools = new ArrayList<>();

    SharedDatabase(PostgresServer server) throws IOException {
        this.server = server;
        this.database = "tokens" + DATABASES.incrementAndGet();
        server.createDatabase(database);
    }

    /** @return a new pool on the database, as one node has it */
    HikariDataSource pool() {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(server.jdbcUrl(database));
        ds.setUsername(PostgresServer.USER);
        ds.setPassword(server.password());
        ds.setMaximumPoolSize(4);
        ds.setConnectionTimeout(3000); // as short as a test with the database stopped wants
        ds.setInitializationFailTimeout(-1);
        ds.setConnectionInitSql("SET synchronous_commit TO on");
        pools.add(ds);
        return ds;
    }

    /**
     * The place a node keeps a transport's sign-in in.
     *
     * @param folder the node's token folder for the transport
     * @param tokenKey the node's configured tokenKey
     * @param transport the transport's name
     * @return the shared place, on a pool of the node's own
     */
    TokenEntries node(Path folder, String tokenKey, String transport) {
        return SharedTokens.place(folder, pool(), tokenKey, transport);
    }

    /**
     * Runs each node's work on a thread of its own, all at once, a number of times each, and waits for all.
     *
     * @param times how often each node does its work
     * @param nodes each node's work
     * @throws Exception what a node's work threw
     */
    static void atOnce(int times, Runnable... nodes) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(nodes.length);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Runnable node : nodes) {
                running.add(threads.submit(() -> {
                    for (int i = 0; i < times; i++) {
                        node.run();
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** @return a new key as {@code openssl rand -base64 32} makes one */
    static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Override
    public void close() throws IOException {
        pools.forEach(HikariDataSource::close);
        server.dropDatabase(database);
    }
}
