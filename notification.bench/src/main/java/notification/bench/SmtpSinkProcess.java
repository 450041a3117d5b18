package notification.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Postfix's smtp-sink on a free loopback port: accepts every message and throws it away. */
final class SmtpSinkProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private SmtpSinkProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static SmtpSinkProcess start(Path program) throws IOException, InterruptedException {
        requireExecutable(program);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(program.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "nobody"));
        }
        command.addAll(List.of("-m", "512", "127.0.0.1:" + port, "1024"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 200; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("smtp-sink exited with " + process.exitValue());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new SmtpSinkProcess(process, port);
            } catch (IOException notYet) {
                Thread.sleep(25);
            }
        }
        process.destroy();
        throw new IllegalStateException("smtp-sink did not listen on port " + port);
    }

    static void requireExecutable(Path program) {
        if (!Files.isExecutable(program)) {
            throw new IllegalStateException(program + " is missing: install Postfix (apt-get install postfix),"
                    + " which provides smtp-sink and smtp-source");
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
