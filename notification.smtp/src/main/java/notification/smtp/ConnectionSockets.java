package notification.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * The socket factories of one plain or STARTTLS connection: they create sockets as the engine's own factories do and
 * remember the one that carries the session now (the TLS socket after STARTTLS), so that pipelined commands can be
 * written to it in one go.
 */
final class ConnectionSockets {
    private final SocketFactory plain;
    private final SSLSocketFactory tls;
    private volatile Socket current;

    /**
     * @param plain creates the TCP socket (the write watchdog)
     * @param tls layers TLS over it after STARTTLS: the configured trust store's factory, or {@code null} for Java's
     *        default, which Angus Mail would use too
     */
    ConnectionSockets(SocketFactory plain, SSLSocketFactory tls) {
        this.plain = plain;
        this.tls = tls == null ? (SSLSocketFactory) SSLSocketFactory.getDefault() : tls;
    }

    /** Returns the socket that carries the session now, or {@code null} before one was created. */
    Socket current() {
        return current;
    }

    private Socket remember(Socket socket) {
        current = socket;
        return socket;
    }

    /** The factory for the TCP socket. */
    SocketFactory plainFactory() {
        return new SocketFactory() {
            @Override
            public Socket createSocket() throws IOException {
                return remember(plain.createSocket());
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return remember(plain.createSocket(host, port));
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
                return remember(plain.createSocket(host, port, local, localPort));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return remember(plain.createSocket(host, port));
            }

            @Override
            public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
                    throws IOException {
                return remember(plain.createSocket(host, port, local, localPort));
            }
        };
    }

    /** The factory that layers TLS over the TCP socket when STARTTLS succeeds. */
    SSLSocketFactory tlsFactory() {
        return new SSLSocketFactory() {
            @Override
            public String[] getDefaultCipherSuites() {
                return tls.getDefaultCipherSuites();
            }

            @Override
            public String[] getSupportedCipherSuites() {
                return tls.getSupportedCipherSuites();
            }

            @Override
            public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
                return remember(tls.createSocket(socket, host, port, autoClose));
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return remember(tls.createSocket(host, port));
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
                return remember(tls.createSocket(host, port, local, localPort));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return remember(tls.createSocket(host, port));
            }

            @Override
            public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
                    throws IOException {
                return remember(tls.createSocket(host, port, local, localPort));
            }
        };
    }
}
