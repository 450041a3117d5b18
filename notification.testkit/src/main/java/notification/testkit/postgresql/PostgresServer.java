package notification.testkit.postgresql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster from Debian's {@code postgresql} package: {@code initdb} in a temporary folder, then
 * {@code pg_ctl} on a free loopback port with password (SCRAM) authentication. Run as root, the server runs as the
 * {@code postgres} user, since {@code initdb} refuses root. Closing it stops the server and deletes the folder.
 *
 * <p>This package uses nothing but the JDK, so that in-framework tests can embed it.
 */
public final class PostgresServer implements AutoCloseable {
    /** Where Debian puts the server's programs; {@code -Dpostgresql.bin=...} overrides it. */
    public static final Path BIN = Path.of(System.getProperty("postgresql.bin", newestInstalled()));
    /** The superuser name. */
    public static final String USER = "postgres";

    private final Path dir;
    private final int port;
    private final String password;
    private final boolean asPostgres;
    /** Held so that its pipe stays open while this JVM runs; see {@link #stopWhenThisJvmEnds()}. */
    private Process watcher;

    private PostgresServer(Path dir, int port, String password, boolean asPostgres) {
        this.dir = dir;
        this.port = port;
        this.password = password;
        this.asPostgres = asPostgres;
    }

    /**
     * Creates a new cluster with the database {@code notifications} and starts it.
     *
     * @return the running server
     * @throws IOException if a program fails; the message carries its output
     */
    public static PostgresServer start() throws IOException {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            throw new IllegalStateException(BIN.resolve("initdb") + " is missing: install PostgreSQL"
                    + " (apt-get install postgresql) to run the PostgreSQL store's tests");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("pg");
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, password + "\n");
        PostgresServer server = new PostgresServer(dir, freePort(), password, root);
        if (root) {
            server.run(List.of("chown", "-R", USER + ":", dir.toString()), false);
        }
        server.run(List.of(BIN.resolve("initdb").toString(), "-D", server.data().toString(), "-U", USER,
                "-A", "scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--no-instructions"), root);
        Files.delete(pwfile);
        server.resume();
        server.createDatabase("notifications");
        return server;
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** The loopback port the server listens on. */
    public int port() {
        return port;
    }

    /** The superuser's password. */
    public String password() {
        return password;
    }

    /**
     * The JDBC URL of a database on this server.
     *
     * @param database the database name
     * @return {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE}
     */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The JDBC URL of the {@code notifications} database. */
    public String jdbcUrl() {
        return jdbcUrl("notifications");
    }

    /**
     * Creates an empty database.
     *
     * @param name its name
     * @throws IOException if {@code createdb} fails
     */
    public void createDatabase(String name) throws IOException {
        run(List.of(BIN.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER,
                name), false);
    }

    /**
     * Drops a database, closing its connections ({@code dropdb --force}).
     *
     * @param name its name
     * @throws IOException if {@code dropdb} fails
     */
    public void dropDatabase(String name) throws IOException {
        run(List.of(BIN.resolve("dropdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER,
                "--force", "--if-exists", name), false);
    }

    /**
     * Stops the server at once, as a crash or a lost network would ({@code pg_ctl stop -m immediate}): open
     * connections break, committed transactions stay.
     *
     * @throws IOException if {@code pg_ctl} fails
     */
    public void halt() throws IOException {
        run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop"),
                asPostgres);
    }

    /**
     * Starts the (stopped) server again on the same port, and waits until it accepts connections.
     *
     * @throws IOException if {@code pg_ctl} fails
     */
    public void resume() throws IOException {
        run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("log").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "-w", "-t", "60", "start"),
                asPostgres);
        awaitListening();
    }

    private void awaitListening() throws IOException {
        for (int i = 0; i < 400; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(25);
            }
        }
        throw new IOException("PostgreSQL did not listen on port " + port + ": " + log());
    }

    /** The server's log so far. */
    public String log() {
        try {
            Path log = dir.resolve("log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private String run(List<String> command, boolean dropRoot) throws IOException {
        List<String> full = new ArrayList<>();
        if (dropRoot) {
            full.addAll(List.of("runuser", "-u", USER, "--"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("PGPASSWORD", password);
        env.put("LC_ALL", "C.UTF-8");
        Path output = Files.createTempFile("pg-command", ".log");
        pb.redirectOutput(output.toFile());
        try {
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 120 s");
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * Has the server stopped ({@code SIGQUIT}, PostgreSQL's immediate shutdown) and its folder deleted when this JVM
     * ends in any way, killed or halted too, when shutdown hooks do not run (PIT halts its test JVMs): a small shell
     * process waits until this JVM's end closes its standard input. For a server kept for the whole JVM.
     *
     * @return this server
     * @throws IOException if the shell cannot be started
     */
    public synchronized PostgresServer stopWhenThisJvmEnds() throws IOException {
        if (watcher == null) {
            watcher = new ProcessBuilder("sh", "-c", "read -r _; pid=$(head -n 1 \"$1/data/postmaster.pid\""
                    + " 2>/dev/null); if [ -n \"$pid\" ]; then kill -QUIT \"$pid\";"
                    + " while kill -0 \"$pid\" 2>/dev/null; do sleep 0.1; done; fi; rm -rf \"$1\"",
                    "postgres-watcher", dir.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        }
        return this;
    }

    /** Stops the server (if running) and deletes its folder. */
    @Override
    public void close() {
        try {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop"),
                        asPostgres);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The bin folder of the newest PostgreSQL that Debian's packages installed (15 on Debian 12, 17 on Debian 13). */
    private static String newestInstalled() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString()
                            .replaceAll("\\D", "0")))).map(Path::toString).orElse("/usr/lib/postgresql/15/bin");
        } catch (IOException e) {
            return "/usr/lib/postgresql/15/bin";
        }
    }
}
