package notification.relay.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A minimal SMTP server on a plain socket that records the DATA lines exactly as they came over the wire (dot-stuffed),
 * or, when told to stall, answers DATA with 354 and then reads nothing more, so the client's writes block.
 */
final class RawSmtpServer implements AutoCloseable {
    private final ServerSocket server;
    private final boolean stallAtData;
    private final List<String> dataLines = new CopyOnWriteArrayList<>();
    private final CountDownLatch messageEnded = new CountDownLatch(1);
    private final Thread thread;

    RawSmtpServer(boolean stallAtData) throws IOException {
        this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.stallAtData = stallAtData;
        this.thread = new Thread(this::serve, "raw smtp server");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Returns the lines of the first message's data as sent, without the final "." line. */
    List<String> dataLines() throws InterruptedException {
        messageEnded.await();
        return dataLines;
    }

    private void serve() {
        try (Socket client = server.accept()) {
            client.setReceiveBufferSize(4096);
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            OutputStream out = client.getOutputStream();
            say(out, "220 raw test server");
            for (String line; (line = in.readLine()) != null;) {
                String command = line.toUpperCase();
                if (command.startsWith("DATA")) {
                    say(out, "354 go ahead");
                    if (stallAtData) {
                        Thread.sleep(Long.MAX_VALUE);
                    }
                    for (String d; (d = in.readLine()) != null && !d.equals(".");) {
                        dataLines.add(d);
                    }
                    messageEnded.countDown();
                    say(out, "250 2.0.0 Ok: queued as RAW1");
                } else if (command.startsWith("QUIT")) {
                    say(out, "221 bye");
                    return;
                } else {
                    say(out, "250 ok");
                }
            }
        } catch (IOException | InterruptedException e) {
            // the test closed the server
        }
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        thread.interrupt();
        server.close();
    }
}
