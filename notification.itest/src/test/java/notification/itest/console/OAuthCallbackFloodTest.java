package notification.itest.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import notification.itest.app.RunningContainer;
import notification.itest.webconsole.RawHttp;
import notification.testkit.FakeExchangeSmtpServer;
import notification.testkit.FakeMicrosoftIdentityPlatform;
import notification.testkit.TestTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 5,000 forged OAuth callbacks from another address while an administrator signs in, against the exported container,
 * the testkit's identity platform and the real MSAL4J: the sign-in completes in the middle of the flood, and the log
 * grows by a few summary lines, not one per request.
 */
class OAuthCallbackFloodTest {
    private static final String MAILBOX = "scanner@contoso.example";
    private static final String SECRET = "flood-client-secret";
    private static final int FLOOD = 5000;
    private static final String REFUSAL_LINE = "OAuth callback: refused";

    @TempDir
    Path home;

    @Test
    void aCallbackFloodDuringASignInLetsTheSignInCompleteAndLogsOnlySummaries() throws Exception {
        try (FakeMicrosoftIdentityPlatform identity = FakeMicrosoftIdentityPlatform.start("contoso-tenant",
                "11111111-2222-3333-4444-555555555555", SECRET);
                FakeExchangeSmtpServer exchange = FakeExchangeSmtpServer.start(identity.issuedTokens());
                RunningContainer container = RunningContainer.start(home)) {
            identity.addAccount(MAILBOX, "Scanner");
            container.awaitReady(ConsoleSession.PAGE, Duration.ofSeconds(60));
            Map<String, String> config = new HashMap<>();
            config.put("cloud", "custom");
            config.put("authorityUrl", identity.authorityUrl());
            config.put("clientId", identity.clientId());
            config.put("clientSecret", SECRET);
            config.put("username", MAILBOX);
            config.put("redirectUri", container.baseUrl() + "/azure-oauth2-callback");
            config.put("protocol", "smtp");
            config.put("smtpHost", exchange.host());
            config.put("smtpPort", String.valueOf(exchange.port()));
            config.put("smtpScope", "https://outlook.office.com/SMTP.Send");
            config.put("trustStore", TestTls.writeTrustStore(home.resolve("tls")).toString());
            config.put("trustStorePassword", TestTls.PASSWORD);
            RunningContainer.writeConfig(home, "notification.oauth.microsoft~m365.cfg", config);

            ConsoleSession admin = new ConsoleSession(container);
            URI authorizationUrl = awaitAuthorizeRedirect(admin, identity);
            Map<String, String> callback = identity.signIn(authorizationUrl, MAILBOX);
            long linesBefore = refusalLines(container);

            AtomicInteger sent = new AtomicInteger();
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            CountDownLatch signInDone = new CountDownLatch(1);
            InetAddress attacker = InetAddress.getByName("127.0.0.2");
            SecureRandom random = new SecureRandom();
            ExecutorService flood = Executors.newFixedThreadPool(4);
            for (int t = 0; t < 4; t++) {
                flood.submit(() -> {
                    for (int n = sent.incrementAndGet(); n <= FLOOD; n = sent.incrementAndGet()) {
                        if (n == FLOOD - 1000) {
                            signInDone.await(2, TimeUnit.MINUTES); // the last 1,000 after the real sign-in
                        }
                        byte[] state = new byte[32];
                        random.nextBytes(state);
                        String body = "code=forged&state=" + Base64.getUrlEncoder().withoutPadding()
                                .encodeToString(state);
                        RawHttp.Response r = RawHttp.send(attacker, container.port(), "POST /azure-oauth2-callback "
                                + "HTTP/1.1\r\nHost: 127.0.0.1:" + container.port() + "\r\nContent-Type: "
                                + "application/x-www-form-urlencoded\r\n", body);
                        statuses.computeIfAbsent(r.status(), s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                });
            }
            while (sent.get() < 1000) {
                Thread.sleep(20);
            }
            HttpResponse<String> completed = admin.post("/azure-oauth2-callback", callback, Map.of());
            int sentWhenCompleted = sent.get();
            signInDone.countDown();
            flood.shutdown();
            assertTrue(flood.awaitTermination(5, TimeUnit.MINUTES), "the flood ends");

            assertEquals(303, completed.statusCode(), "the real sign-in completes during the flood (after "
                    + sentWhenCompleted + " forged requests): " + completed.body());
            String shown = admin.get(URI.create(completed.headers().firstValue("Location").orElseThrow()).getPath())
                    .body();
            assertTrue(shown.contains("Authorized: " + MAILBOX), shown);
            int refused = statuses.getOrDefault(429, new AtomicInteger()).get()
                    + statuses.getOrDefault(400, new AtomicInteger()).get();
            assertEquals(FLOOD, refused, "every forged callback refused: " + statuses);
            assertTrue(statuses.getOrDefault(429, new AtomicInteger()).get() >= FLOOD - 100,
                    "the address ran out of budget: " + statuses);
            long added = refusalLines(container) - linesBefore;
            assertTrue(added >= 1 && added <= 5, added + " summary lines for " + FLOOD + " refusals:\n"
                    + container.log());
            System.out.println("Flood: " + statuses + "; sign-in completed after " + sentWhenCompleted
                    + " forged requests; " + added + " log lines");
        }
    }

    private static URI awaitAuthorizeRedirect(ConsoleSession admin, FakeMicrosoftIdentityPlatform identity)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> start = admin.submit(ConsoleSession.PAGE + "/authorize", Map.of("transport", "m365"));
            String location = start.headers().firstValue("Location").orElse("");
            if (start.statusCode() == 303 && location.startsWith(identity.authorityUrl())) {
                return URI.create(location);
            }
            last = start.statusCode() + " " + location;
            Thread.sleep(500);
        }
        throw new AssertionError("Authorize never led to the identity platform: " + last);
    }

    private static long refusalLines(RunningContainer container) {
        return container.log().lines().filter(l -> l.contains(REFUSAL_LINE)).count();
    }
}
