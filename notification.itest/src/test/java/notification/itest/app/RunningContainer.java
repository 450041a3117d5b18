package notification.itest.app;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The exported container (notification.app/target/app.jar) running as a separate JVM in its own folder. */
public final class RunningContainer implements AutoCloseable {
    private final Path home;
    private final int port;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NORMAL).build();

    private RunningContainer(Path home, int port, Process process) {
        this.home = home;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts the container in {@code home} (which may already hold conf/ and var/) on a free port.
     *
     * @param home the working directory: conf/, var/ and the log file live there
     * @param extraJvmArgs more JVM arguments, for example system properties
     * @return the running container; close it to stop it
     */
    public static RunningContainer start(Path home, String... extraJvmArgs) throws IOException {
        return start(home, freePort(), extraJvmArgs);
    }

    /** Starts the container in {@code home} on the given port. */
    public static RunningContainer start(Path home, int port, String... extraJvmArgs) throws IOException {
        return launch(home, port, List.of(), extraJvmArgs);
    }

    /**
     * Starts the container from a shell that first sets the given umask, as an administrator's login shell might.
     *
     * @param home the working directory
     * @param umask for example "000"
     * @param extraJvmArgs more JVM arguments
     * @return the running container
     */
    public static RunningContainer startUnderUmask(Path home, String umask, String... extraJvmArgs)
            throws IOException {
        return launch(home, freePort(), List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\""),
                extraJvmArgs);
    }

    private static RunningContainer launch(Path home, int port, List<String> prefix, String... extraJvmArgs)
            throws IOException {
        Path jar = appJar();
        Files.createDirectories(home.resolve("conf"));
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-Dorg.osgi.service.http.port=" + port);
        command.add("-Dorg.apache.felix.http.host=127.0.0.1");
        command.addAll(List.of(extraJvmArgs));
        command.add("-jar");
        command.add(jar.toString());
        Process process = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("container.log").toFile()))
                .start();
        return new RunningContainer(home, port, process);
    }

    /** Returns the exported container jar, failing clearly when it has not been built. */
    public static Path appJar() {
        Path jar = Path.of(System.getProperty("notification.app.jar", "../notification.app/target/app.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("container jar not built: " + jar.toAbsolutePath()
                    + " (run mvn install from the top folder)");
        }
        return jar;
    }

    /** Returns a free TCP port on the loopback interface. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Returns the base URL, for example http://127.0.0.1:40123. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Returns the HTTP port. */
    public int port() {
        return port;
    }

    /** Returns the container's working directory. */
    public Path home() {
        return home;
    }

    /** Returns the container's process. */
    public Process process() {
        return process;
    }

    /**
     * Waits until {@code path} answers 200 to the console's default credentials.
     *
     * @return how long it took from now
     */
    public Duration awaitReady(String path, Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("container exited with " + process.exitValue() + "; log:\n" + log());
            }
            try {
                HttpResponse<String> r = get(path);
                if (r.statusCode() == HttpURLConnection.HTTP_OK) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(path + " not ready after " + timeout + " (" + last + "); log:\n" + log());
    }

    /** GETs a path with the console's default credentials admin/admin. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", basicAuth("admin", "admin"))
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Returns the Authorization header value for HTTP basic authentication. */
    public static String basicAuth(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a configuration file into conf/, where Felix FileInstall picks it up while running. */
    public void writeConfig(String fileName, Map<String, String> properties) throws IOException {
        writeConfig(home, fileName, properties);
    }

    /** Writes a configuration file into {@code home}/conf/ (before or after start). */
    public static void writeConfig(Path home, String fileName, Map<String, String> properties) throws IOException {
        StringBuilder text = new StringBuilder();
        properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path conf = Files.createDirectories(home.resolve("conf"));
        Path tmp = conf.resolve(fileName + ".tmp");
        Files.writeString(tmp, text.toString());
        Files.move(tmp, conf.resolve(fileName), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Returns what the container printed so far. */
    public String log() {
        try {
            return Files.readString(home.resolve("container.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the container at once (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the container (SIGTERM, then SIGKILL after 30 s). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
