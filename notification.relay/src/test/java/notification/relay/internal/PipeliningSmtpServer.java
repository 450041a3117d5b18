package notification.relay.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;

/**
 * An SMTP server for one client that offers STARTTLS, and PIPELINING or not, refuses recipients starting with
 * "refused" (550), answers DATA as told when no recipient was accepted, and notes for each MAIL FROM whether the
 * client had already sent the commands after it (a pipelined batch) before it got the reply.
 */
final class PipeliningSmtpServer implements AutoCloseable {
    private final ServerSocket server;
    private final boolean offerPipelining;
    private final String dataReplyWithoutRecipient;
    private final List<Boolean> batched = new CopyOnWriteArrayList<>();
    private final List<List<String>> messages = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean tlsStarted;

    /**
     * @param offerPipelining whether EHLO names PIPELINING
     * @param dataReplyWithoutRecipient the reply to DATA when every recipient was refused, for example "554 ..."
     */
    PipeliningSmtpServer(boolean offerPipelining, String dataReplyWithoutRecipient) throws IOException {
        this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.offerPipelining = offerPipelining;
        this.dataReplyWithoutRecipient = dataReplyWithoutRecipient;
        this.thread = new Thread(this::serve, "pipelining smtp server");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** For each MAIL FROM received: whether more commands were already waiting when it was read. */
    List<Boolean> batched() {
        return batched;
    }

    /** The data lines of each message that ended with ".", whatever the final reply. */
    List<List<String>> messages() {
        return messages;
    }

    /** Whether the client said STARTTLS and the TLS handshake succeeded. */
    boolean tlsStarted() {
        return tlsStarted;
    }

    private void serve() {
        try (Socket connection = server.accept()) {
            Socket client = connection;
            BufferedReader in = reader(client);
            OutputStream out = client.getOutputStream();
            say(out, "220 pipelining test server");
            int accepted = 0;
            for (String line; (line = in.readLine()) != null;) {
                String command = line.toUpperCase();
                if (command.startsWith("EHLO")) {
                    say(out, "250-test\r\n250-STARTTLS\r\n" + (offerPipelining ? "250-PIPELINING\r\n" : "")
                            + "250 8BITMIME");
                } else if (command.startsWith("STARTTLS")) {
                    say(out, "220 2.0.0 Ready to start TLS");
                    SSLSocket tls = (SSLSocket) TestCertificates.serverContext().getSocketFactory()
                            .createSocket(client, "localhost", client.getPort(), true);
                    tls.setUseClientMode(false);
                    tls.startHandshake();
                    client = tls;
                    in = reader(client);
                    out = client.getOutputStream();
                    tlsStarted = true;
                } else if (command.startsWith("MAIL")) {
                    batched.add(in.ready());
                    accepted = 0;
                    say(out, "250 2.1.0 Ok");
                } else if (command.startsWith("RCPT") && command.contains("<REFUSED")) {
                    say(out, "550 5.1.1 no such user");
                } else if (command.startsWith("RCPT")) {
                    accepted++;
                    say(out, "250 2.1.5 Ok");
                } else if (command.startsWith("DATA")) {
                    String reply = accepted > 0 ? "354 go ahead" : dataReplyWithoutRecipient;
                    say(out, reply);
                    if (reply.startsWith("354")) {
                        List<String> data = new ArrayList<>();
                        for (String d; (d = in.readLine()) != null && !d.equals(".");) {
                            data.add(d);
                        }
                        messages.add(data);
                        say(out, accepted > 0 ? "250 2.0.0 Ok: queued" : "554 5.5.1 No valid recipients");
                    }
                } else if (command.startsWith("QUIT")) {
                    say(out, "221 bye");
                    return;
                } else {
                    say(out, "250 ok");
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            // the test closed the server
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
