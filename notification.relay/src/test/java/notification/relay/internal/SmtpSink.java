package notification.relay.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** Postfix's smtp-sink, started as a process on a free loopback port, for fault injection. */
final class SmtpSink implements AutoCloseable {
    static final Path PROGRAM = Path.of(System.getProperty("smtp.sink", "/usr/sbin/smtp-sink"));

    private final Process process;
    private final int port;
    private final Path dump;

    private SmtpSink(Process process, int port, Path dump) {
        this.process = process;
        this.port = port;
        this.dump = dump;
    }

    /**
     * Starts smtp-sink with extra options, for example "-r", "RCPT".
     *
     * @param options the fault options
     * @return the running sink; it dumps every transaction to {@link #dump()}
     */
    static SmtpSink start(String... options) throws IOException, InterruptedException {
        if (!Files.isExecutable(PROGRAM)) {
            throw new IllegalStateException(PROGRAM + " is missing: install Postfix (apt-get install postfix) to run"
                    + " the relay fault tests; smtp-sink is part of it");
        }
        Path dir = Files.createTempDirectory("smtp-sink");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path dump = dir.resolve("dump");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(PROGRAM.toString(), "-D", dump.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "nobody"));
        }
        command.addAll(List.of(options));
        command.addAll(List.of("127.0.0.1:" + port, "32"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("output").toFile()).start();
        SmtpSink sink = new SmtpSink(process, port, dump);
        sink.awaitListening(dir.resolve("output"));
        return sink;
    }

    private void awaitListening(Path output) throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("smtp-sink stopped: " + Files.readString(output));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(25);
            }
        }
        throw new IllegalStateException("smtp-sink did not listen on port " + port);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** Returns what smtp-sink dumped so far (every received transaction). */
    String dump() throws IOException {
        return Files.exists(dump) ? Files.readString(dump, StandardCharsets.ISO_8859_1) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
