package notification.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSocket;

/** One connection to the fake Exchange SMTP server: the command loop, STARTTLS, AUTH XOAUTH2 and DATA. */
final class SmtpSession {

    private static final long MAX_SIZE = 35L * 1024 * 1024;

    private final FakeExchangeSmtpServer server;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean tls;
    private String user;
    private String mailFrom;
    private boolean smtpUtf8;
    private final List<String> recipients = new ArrayList<>();

    SmtpSession(FakeExchangeSmtpServer server, Socket socket) {
        this.server = server;
        this.socket = socket;
    }

    void run() {
        try (Socket ignored = socket) {
            socket.setSoTimeout(60_000);
            // replies to a pipelined batch go out at once, as a real server's do (no Nagle delay)
            socket.setTcpNoDelay(true);
            streams();
            reply("220 localhost Microsoft ESMTP MAIL Service ready (fake)");
            String line;
            while ((line = readLine()) != null) {
                if (!handle(line)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private boolean handle(String line) throws IOException {
        String verb = (line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line).toUpperCase(Locale.ROOT);
        switch (verb) {
            case "EHLO", "HELO" -> ehlo();
            case "STARTTLS" -> startTls();
            case "AUTH" -> auth(line);
            case "MAIL" -> mail(line);
            case "RCPT" -> rcpt(line);
            case "DATA" -> data();
            case "RSET" -> {
                reset();
                reply("250 2.0.0 Resetting");
            }
            case "NOOP" -> reply("250 2.0.0 OK");
            case "QUIT" -> {
                reply("221 2.0.0 Service closing transmission channel");
                return false;
            }
            default -> reply("500 5.3.3 Unrecognized command");
        }
        return true;
    }

    private void ehlo() throws IOException {
        String auth = tls ? "250-AUTH LOGIN PLAIN XOAUTH2" : "250-STARTTLS";
        if (server.smtpUtf8Offered()) {
            reply("250-localhost Hello [127.0.0.1]", "250-SIZE " + MAX_SIZE, "250-PIPELINING",
                    "250-ENHANCEDSTATUSCODES", "250-8BITMIME", auth, "250 SMTPUTF8");
        } else {
            reply("250-localhost Hello [127.0.0.1]", "250-SIZE " + MAX_SIZE, "250-PIPELINING",
                    "250-ENHANCEDSTATUSCODES", "250-8BITMIME", auth.replace("250-", "250 "));
        }
    }

    private void startTls() throws IOException {
        if (tls) {
            reply("503 5.5.1 TLS already active");
            return;
        }
        reply("220 2.0.0 SMTP server ready");
        SSLSocket ssl = (SSLSocket) server.tls().getSocketFactory()
                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        ssl.startHandshake();
        socket = ssl;
        streams();
        tls = true;
        user = null;
        reset();
    }

    private void auth(String line) throws IOException {
        String[] parts = line.split(" ");
        if (!tls) {
            reply("504 5.7.4 Unrecognized authentication type");
        } else if (parts.length >= 2 && "PLAIN".equalsIgnoreCase(parts[1]) && !server.smtpAuthDisabled()) {
            plain(parts.length > 2 ? parts[2] : askForResponse());
        } else if (parts.length < 2 || !"XOAUTH2".equalsIgnoreCase(parts[1])) {
            reply("504 5.7.4 Unrecognized authentication type");
        } else if (server.peekInjected("AUTH")) {
            reply(server.injected("AUTH"));
        } else if (server.smtpAuthDisabled()) {
            reply("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. "
                    + "Visit https://aka.ms/smtp_auth_disabled for more information.");
        } else {
            String response = parts.length > 2 ? parts[2] : askForResponse();
            String decoded = new String(Base64.getDecoder().decode(response), StandardCharsets.UTF_8);
            String login = null;
            String token = null;
            for (String field : decoded.split("\u0001")) {
                if (field.startsWith("user=")) {
                    login = field.substring(5);
                } else if (field.startsWith("auth=Bearer ")) {
                    token = field.substring(12);
                }
            }
            if (login != null && server.acceptsToken(login, token)) {
                user = login;
                server.loggedIn();
                reply("235 2.7.0 Authentication successful");
            } else {
                reply(server.authRefusal());
            }
        }
    }

    /** RFC 4616: authorization identity, NUL, user, NUL, password. */
    private void plain(String response) throws IOException {
        String[] fields = new String(Base64.getDecoder().decode(response), StandardCharsets.UTF_8).split("\u0000", -1);
        if (fields.length == 3 && server.acceptsPassword(fields[1], fields[2])) {
            user = fields[1];
            server.loggedIn();
            reply("235 2.7.0 Authentication successful");
        } else {
            reply("535 5.7.3 Authentication unsuccessful");
        }
    }

    private String askForResponse() throws IOException {
        reply("334 ");
        String line = readLine();
        return line == null ? "" : line.trim();
    }

    private void mail(String line) throws IOException {
        if (user == null) {
            reply("530 5.7.57 Client not authenticated to send mail");
            return;
        }
        String injected = server.injected("MAIL");
        if (injected != null) {
            reply(injected);
            return;
        }
        String address = address(line);
        if (!address.equalsIgnoreCase(user)) {
            reply("550 5.7.60 SMTP; Client does not have permissions to send as this sender");
            return;
        }
        mailFrom = address;
        smtpUtf8 = line.toUpperCase(Locale.ROOT).endsWith(" SMTPUTF8");
        recipients.clear();
        reply("250 2.1.0 Sender OK");
    }

    private void rcpt(String line) throws IOException {
        if (mailFrom == null) {
            reply("503 5.5.2 Need mail command");
            return;
        }
        String injected = server.injected("RCPT");
        if (injected != null) {
            reply(injected);
            return;
        }
        recipients.add(address(line));
        reply("250 2.1.5 Recipient OK");
    }

    private void data() throws IOException {
        if (recipients.isEmpty()) {
            reply("503 5.5.2 Need rcpt command");
            return;
        }
        reply("354 Start mail input; end with <CRLF>.<CRLF>");
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        String line;
        while ((line = readLine()) != null && !line.equals(".")) {
            content.writeBytes((line.startsWith(".") ? line.substring(1) : line).getBytes(StandardCharsets.ISO_8859_1));
            content.writeBytes(new byte[] {'\r', '\n'});
        }
        try {
            Thread.sleep(server.dataDelay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        String injected = server.injected("DATA");
        if (injected != null) {
            reply(injected);
        } else if (content.size() > MAX_SIZE) {
            reply("552 5.3.4 Message size exceeds fixed maximum message size");
        } else {
            server.received(new FakeExchangeSmtpServer.ReceivedMessage(
                    user, mailFrom, List.copyOf(recipients), content.toByteArray(), smtpUtf8));
            reply("250 2.0.0 OK <" + Randoms.token() + "@localhost> [Hostname=localhost] Queued mail for delivery");
        }
        reset();
    }

    private void reset() {
        mailFrom = null;
        recipients.clear();
    }

    /** The address between angle brackets; commands are read byte for byte, addresses as UTF-8 (SMTPUTF8). */
    private static String address(String line) {
        int start = line.indexOf('<');
        int end = line.indexOf('>', start + 1);
        return start < 0 || end < 0 ? "" : new String(line.substring(start + 1, end)
                .getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private void streams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return null;
    }

    private void reply(String... lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append("\r\n");
        }
        out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
