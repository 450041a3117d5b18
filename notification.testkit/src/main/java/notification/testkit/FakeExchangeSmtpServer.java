package notification.testkit;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A fake Exchange Online SMTP submission endpoint (smtp.office365.com:587) on a loopback port: STARTTLS (TLS 1.2+)
 * is required before {@code AUTH XOAUTH2}, which succeeds only with an access token the fake identity platform issued
 * for that user (or an app-only token) for the SMTP resource. Replies can be injected per command (for example
 * {@code 432 4.3.2} on MAIL FROM), SMTP AUTH can be switched off ({@code 535 5.7.139}), and concurrent connections
 * are counted.
 */
public final class FakeExchangeSmtpServer implements AutoCloseable {

    /** The SMTP resources whose tokens are accepted: delegated (outlook.office.com) and app-only (office365.com). */
    public static final Set<String> SMTP_RESOURCES = Set.of("https://outlook.office.com", "https://outlook.office365.com");

    /**
     * A message the server accepted.
     *
     * @param authenticatedUser the XOAUTH2 user
     * @param envelopeFrom MAIL FROM
     * @param recipients RCPT TO, in order (read as UTF-8)
     * @param content the message as received (CRLF line ends, dot-stuffing removed)
     * @param smtpUtf8 whether MAIL FROM carried the SMTPUTF8 parameter (RFC 6531)
     */
    public record ReceivedMessage(String authenticatedUser, String envelopeFrom, List<String> recipients,
            byte[] content, boolean smtpUtf8) {

        /**
         * Parses the content.
         *
         * @return the message
         */
        public MimeMessage mime() {
            try {
                return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(content));
            } catch (MessagingException e) {
                throw new IllegalStateException("received message does not parse", e);
            }
        }

        /** @return the Subject header, decoded */
        public String subject() {
            try {
                return mime().getSubject();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final IssuedTokens tokens;
    private final Set<String> resources;
    private final String authRefusal;
    private final SSLContext tls = TestTls.serverContext();
    private final ServerSocket serverSocket;
    private final ExecutorService executor = HttpExchanges.executor("fake-exchange-smtp");
    private final Map<String, Queue<String>> injectedReplies = new ConcurrentHashMap<>();
    private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
    private final List<Instant> acceptedAt = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger max = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private volatile boolean smtpAuthDisabled;
    private volatile boolean smtpUtf8Offered = true;
    private volatile Duration dataDelay = Duration.ZERO;

    private FakeExchangeSmtpServer(IssuedTokens tokens, Set<String> resources, String authRefusal)
            throws IOException {
        this.tokens = tokens;
        this.resources = resources;
        this.authRefusal = authRefusal;
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        executor.execute(this::acceptLoop);
    }

    /**
     * Starts the server on a free loopback port.
     *
     * @param tokens the tokens to accept, from {@link FakeMicrosoftIdentityPlatform#issuedTokens()}
     * @return the running server; close it after the test
     */
    public static FakeExchangeSmtpServer start(IssuedTokens tokens) {
        try {
            return new FakeExchangeSmtpServer(tokens, SMTP_RESOURCES, "535 5.7.3 Authentication unsuccessful");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake SMTP server", e);
        }
    }

    /**
     * Starts the server as smtp.gmail.com behaves: tokens for {@code https://mail.google.com/} accepted, others
     * refused with {@code 535 5.7.8}.
     *
     * @param tokens the tokens to accept, from {@link FakeGoogle#issuedTokens()}
     * @return the running server; close it after the test
     */
    public static FakeExchangeSmtpServer startForGmail(IssuedTokens tokens) {
        try {
            return new FakeExchangeSmtpServer(tokens, Set.of("https://mail.google.com"),
                    "535 5.7.8 Username and Password not accepted. For more information, go to "
                            + "https://support.google.com/mail/?p=BadCredentials");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake SMTP server", e);
        }
    }

    /** @return the host name clients use ("localhost", matching the certificate) */
    public String host() {
        return "localhost";
    }

    /** @return the port */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /**
     * Answers the next use of a command with a reply instead of the normal one; several calls queue replies.
     *
     * @param command "AUTH", "MAIL", "RCPT" or "DATA" (DATA's reply after the message was received)
     * @param reply the whole reply line, for example "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded"
     */
    public void failNext(String command, String reply) {
        injectedReplies.computeIfAbsent(command.toUpperCase(), c -> new ConcurrentLinkedQueue<>()).add(reply);
    }

    /**
     * Accepts AUTH PLAIN with a username and password besides XOAUTH2 (Exchange Online no longer does; for comparing
     * the two on one server).
     *
     * @param username the user
     * @param password the password
     */
    public void acceptPassword(String username, String password) {
        passwords.put(username.toLowerCase(), password);
    }

    /** @param disabled whether AUTH answers "535 5.7.139" (SMTP AUTH disabled for the tenant) */
    public void setSmtpAuthDisabled(boolean disabled) {
        this.smtpAuthDisabled = disabled;
    }

    /** @param offered whether EHLO offers SMTPUTF8 (RFC 6531), as Exchange Online and Gmail do; on by default */
    public void setSmtpUtf8Offered(boolean offered) {
        this.smtpUtf8Offered = offered;
    }

    /** @param delay how long the server waits before answering the end of DATA (to make sends overlap) */
    public void setDataDelay(Duration delay) {
        this.dataDelay = delay;
    }

    /** Hangs up every open connection without a reply, as Exchange Online does with idle sessions. */
    public void dropConnections() {
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** @return the most connections that were open at the same time */
    public int maxConcurrentConnections() {
        return max.get();
    }

    /** @return the connections accepted so far */
    public int connectionsOpened() {
        return opened.get();
    }

    /** @return the successful AUTH XOAUTH2 logins so far */
    public int successfulLogins() {
        return logins.get();
    }

    /** @return the messages accepted so far, oldest first */
    public List<ReceivedMessage> messages() {
        return new ArrayList<>(messages);
    }

    /** @return when each accepted message was accepted (end of its data), oldest first, by this machine's clock */
    public List<Instant> acceptedAt() {
        return new ArrayList<>(acceptedAt);
    }

    /**
     * Counts the most messages accepted within any window of the given length, measured here (for checking a sender's
     * rate limit from the server's side).
     *
     * @param window the window, for example one minute
     * @return the most messages whose acceptance times lie within one window
     */
    public int mostAcceptedWithin(Duration window) {
        List<Instant> times = acceptedAt();
        times.sort(null);
        int most = 0;
        for (int first = 0, last = 0; last < times.size(); last++) {
            while (!times.get(first).plus(window).isAfter(times.get(last))) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }

    /** Stops the server and closes every connection. */
    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                opened.incrementAndGet();
                max.accumulateAndGet(current.incrementAndGet(), Math::max);
                open.add(socket);
                executor.execute(() -> {
                    try {
                        new SmtpSession(this, socket).run();
                    } finally {
                        open.remove(socket);
                        current.decrementAndGet();
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    boolean peekInjected(String command) {
        Queue<String> queue = injectedReplies.get(command);
        return queue != null && !queue.isEmpty();
    }

    String injected(String command) {
        Queue<String> queue = injectedReplies.get(command);
        return queue == null ? null : queue.poll();
    }

    boolean acceptsToken(String user, String token) {
        return tokens.valid(token)
                .filter(t -> t.username() == null || t.username().equalsIgnoreCase(user))
                .filter(t -> resources.stream().anyMatch(t::grants))
                .isPresent();
    }

    String authRefusal() {
        return authRefusal;
    }

    boolean acceptsPassword(String user, String password) {
        return user != null && password != null && password.equals(passwords.get(user.toLowerCase()));
    }

    SSLContext tls() {
        return tls;
    }

    boolean smtpAuthDisabled() {
        return smtpAuthDisabled;
    }

    boolean smtpUtf8Offered() {
        return smtpUtf8Offered;
    }

    Duration dataDelay() {
        return dataDelay;
    }

    void loggedIn() {
        logins.incrementAndGet();
    }

    void received(ReceivedMessage message) {
        acceptedAt.add(Instant.now());
        messages.add(message);
    }
}
