package notification.itest.webconsole;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request over a plain socket, for what java.net.http refuses to send: any Host header (a DNS-rebinding
 * page's), and a chosen source address (another client on the loopback network).
 */
public final class RawHttp {

    /** A response: its status code and its text. */
    public record Response(int status, String text) {
    }

    private RawHttp() {
    }

    /**
     * Sends one request and reads the whole response (the connection is closed after it).
     *
     * @param from the local address to send from, or {@code null} for any
     * @param port the server's port on 127.0.0.1
     * @param head the request line and headers, each line ending in CRLF, without the blank line
     * @param body the body, or an empty string
     * @return the response
     */
    public static Response send(InetAddress from, int port, String head, String body) throws IOException {
        return send(from, InetAddress.getLoopbackAddress(), port, head, body);
    }

    /**
     * Sends one request to a given address and reads the whole response.
     *
     * @param from the local address to send from, or {@code null} for any
     * @param to the server's address
     * @param port the server's port
     * @param head the request line and headers, each line ending in CRLF, without the blank line
     * @param body the body, or an empty string
     * @return the response
     */
    public static Response send(InetAddress from, InetAddress to, int port, String head, String body)
            throws IOException {
        try (Socket socket = new Socket()) {
            if (from != null) {
                socket.bind(new InetSocketAddress(from, 0));
            }
            socket.connect(new InetSocketAddress(to, port), 5000);
            socket.setSoTimeout(30_000);
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write((head + "Connection: close\r\nContent-Length: " + content.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int space = text.indexOf(' ');
            return new Response(space < 0 ? -1 : Integer.parseInt(text.substring(space + 1, space + 4)), text);
        }
    }
}
