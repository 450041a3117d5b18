package notification.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local Postfix relay as a peer figure: Postfix's smtpd accepts messages from {@code smtp-source} (16 sessions),
 * queues them, and its smtp client relays them to the benchmark's smtp-sink over at most 4 reused connections; the
 * figure is messages per second end to end (the last {@code status=sent} line in Postfix's log). It runs as its own
 * instance, from a temporary configuration and queue folder on a free loopback port, so an installed Postfix and its
 * queue are left alone; {@code postfix -c} requires that folder to be named in {@code /etc/postfix/main.cf}, which is
 * written for the run only where there is none (a Postfix that is set up is never touched). Needs root.
 */
final class PostfixRelayReference implements AutoCloseable {
    private static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    private static final Path SOURCE = Path.of("/usr/sbin/smtp-source");
    private static final Path DEFAULT_MAIN_CF = Path.of("/etc/postfix/main.cf");

    private final Path dir;
    private final int port;
    private final Path log;

    private PostfixRelayReference(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        this.log = dir.resolve("postfix.log");
    }

    /**
     * Why Postfix cannot run here, or null when it can.
     *
     * @return the reason, a sentence
     */
    static String cannotRun() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root (postfix start)";
        }
        if (!Files.isExecutable(POSTFIX) || !Files.isExecutable(SOURCE)) {
            return "the postfix package is not installed";
        }
        if (Files.exists(DEFAULT_MAIN_CF)) {
            return DEFAULT_MAIN_CF + " exists: a Postfix set up on this machine is not touched";
        }
        return null;
    }

    /**
     * Starts a Postfix instance relaying to a sink.
     *
     * @param sinkPort the sink's loopback port
     * @param sessions the most connections to the sink
     * @return the running instance
     * @throws IOException if Postfix does not start; the message says why
     */
    static PostfixRelayReference start(int sinkPort, int sessions) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("postfix-bench");
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostfixRelayReference postfix = new PostfixRelayReference(dir, port);
        Files.writeString(dir.resolve("main.cf"), String.join("\n", "compatibility_level = 3.6",
                "queue_directory = " + dir.resolve("queue"), "data_directory = " + dir.resolve("data"),
                "myhostname = printserver.example.org", "inet_interfaces = loopback-only", "inet_protocols = ipv4",
                "mydestination =", "local_recipient_maps =", "relayhost = [127.0.0.1]:" + sinkPort,
                "mynetworks = 127.0.0.0/8", "smtpd_relay_restrictions = permit_mynetworks, reject",
                "default_destination_concurrency_limit = " + sessions, "smtp_connection_cache_on_demand = yes",
                "smtp_tls_security_level = none", "maillog_file = " + postfix.log,
                "maillog_file_prefixes = " + dir, "") );
        Files.writeString(dir.resolve("master.cf"), masterCf(port));
        Files.createDirectories(dir.resolve("queue"));
        Files.writeString(DEFAULT_MAIN_CF, "# written by notification.bench for one run; removed after it\n"
                + "alternate_config_directories = " + dir + "\n");
        try {
            postfix.postfix("start");
            postfix.awaitListening();
            return postfix;
        } catch (IOException | RuntimeException e) {
            postfix.close();
            throw e;
        }
    }

    /** Debian's master.cf with smtpd on the given loopback port and no service chrooted (the queue is temporary). */
    private static String masterCf(int port) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/etc/postfix/master.cf"))) {
            String[] f = line.trim().split("\\s+");
            if (line.isEmpty() || Character.isWhitespace(line.charAt(0)) || line.startsWith("#") || f.length < 8) {
                out.append(line).append('\n');
                continue;
            }
            if (f[0].equals("smtp") && f[1].equals("inet")) {
                f[0] = "127.0.0.1:" + port;
            }
            f[4] = "n";
            out.append(String.join("  ", f)).append('\n');
        }
        return out.toString();
    }

    /**
     * Sends messages through Postfix and waits until it has relayed them all.
     *
     * @param messages how many
     * @param producers smtp-source's sessions
     * @param bodyBytes each message's size
     * @return elapsed nanoseconds, from the first message sent to the last one relayed
     */
    long run(int messages, int producers, int bodyBytes) throws IOException, InterruptedException {
        long sentBefore = sentLines();
        long start = System.nanoTime();
        Process p = new ProcessBuilder(SOURCE.toString(), "-s", Integer.toString(producers), "-m",
                Integer.toString(messages), "-l", Integer.toString(bodyBytes), "-f", "scanner@example.com", "-t",
                "jane@example.com", "127.0.0.1:" + port).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("smtp-source failed: " + output);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (sentLines() - sentBefore < messages) {
            if (System.nanoTime() > deadline) {
                throw new IOException("Postfix relayed " + (sentLines() - sentBefore) + " of " + messages
                        + " messages in 5 minutes; see " + log);
            }
            Thread.sleep(20);
        }
        return System.nanoTime() - start;
    }

    private long sentLines() throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        long n = 0;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            byte[] all = new byte[(int) f.length()];
            f.readFully(all);
            String text = new String(all, StandardCharsets.ISO_8859_1);
            for (int i = text.indexOf("status=sent"); i >= 0; i = text.indexOf("status=sent", i + 1)) {
                n++;
            }
        }
        return n;
    }

    private void postfix(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(POSTFIX.toString(), "-c", dir.toString(), command).redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            String logged = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
            throw new IOException("postfix " + command + " failed: " + (output + logged).strip());
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        for (int i = 0; i < 400; i++) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(25);
            }
        }
        throw new IOException("Postfix's smtpd did not listen on port " + port);
    }

    /** Stops the instance and deletes its folder and the default main.cf written for it. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            postfix("stop");
        } catch (IOException alreadyStopped) {
            // it did not start
        } finally {
            Files.deleteIfExists(DEFAULT_MAIN_CF);
            List<Path> left = new ArrayList<>();
            try {
                RelayBenchmark.deleteRecursively(dir);
            } catch (IOException e) {
                left.add(dir);
            }
            if (!left.isEmpty()) {
                System.err.println("  could not delete " + left);
            }
        }
    }
}
