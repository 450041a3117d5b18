package notification.relay.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A real SMTP server (SubEthaSMTP) with STARTTLS required, recording every message with the client connection it
 * came on. Recipients starting with "refused" get 550, those starting with "greylisted" get 450.
 */
final class RecordingSmtpServer implements AutoCloseable {

    /** One received message: the client's address and port (one per connection), envelope and content. */
    record Received(String connection, String from, List<String> recipients, String content) {
    }

    private final SMTPServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    RecordingSmtpServer(int port) throws Exception {
        server = SMTPServer.port(port).bindAddress(InetAddress.getLoopbackAddress()).hostName("localhost")
                .enableTLS().requireTLS().startTlsSocketFactory(TestCertificates.serverContext())
                .messageHandlerFactory(this::handler).build();
        server.start();
    }

    int port() {
        return server.getPortAllocated();
    }

    List<Received> received() {
        return received;
    }

    /** Returns how many different client connections delivered the messages received so far. */
    long connectionsUsed() {
        return received.stream().map(Received::connection).distinct().count();
    }

    private MessageHandler handler(MessageContext context) {
        return new MessageHandler() {
            private String from;
            private final List<String> recipients = new CopyOnWriteArrayList<>();

            @Override
            public void from(String address) {
                from = address;
            }

            @Override
            public void recipient(String address) throws RejectException {
                if (address.startsWith("refused")) {
                    throw new RejectException(550, "5.1.1 <" + address + ">: no such user");
                }
                if (address.startsWith("greylisted")) {
                    throw new RejectException(450, "4.2.0 <" + address + ">: greylisted, try again later");
                }
                recipients.add(address);
            }

            @Override
            public String data(InputStream data) throws IOException {
                received.add(new Received(context.getRemoteAddress().toString(), from, List.copyOf(recipients),
                        new String(data.readAllBytes(), StandardCharsets.UTF_8)));
                return null;
            }

            @Override
            public void done() {
            }
        };
    }

    @Override
    public void close() {
        server.stop();
    }
}
