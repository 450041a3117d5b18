package notification.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import notification.api.authorization.AuthorizationRecord;
import notification.api.authorization.AuthorizationStart;
import notification.testkit.FakeExchangeSmtpServer;
import notification.testkit.FakeGraphMailEndpoint;
import notification.testkit.FakeMicrosoftIdentityPlatform;
import notification.testkit.TestTls;

/** The fake Microsoft cloud of one test (identity platform, Exchange SMTP, Graph) and transports pointed at it. */
final class MicrosoftCloudFixture implements AutoCloseable {

    static final String MAILBOX = "scanner@contoso.example";
    static final String SECRET = "s3cr3t-Value~of.the_client-secret";
    static final String BROWSER = "hash-of-admin-session-cookie";

    final FakeMicrosoftIdentityPlatform identity;
    final FakeExchangeSmtpServer smtp;
    final FakeGraphMailEndpoint graph;
    final Path dataDir;
    final Path trustStore;

    MicrosoftCloudFixture(Path dataDir) {
        this.dataDir = dataDir;
        this.identity = FakeMicrosoftIdentityPlatform.start("contoso-tenant", "11111111-2222-3333-4444-555555555555",
                SECRET);
        identity.addAccount(MAILBOX, "Scanner");
        identity.addAccount("intern@contoso.example", "Intern");
        this.smtp = FakeExchangeSmtpServer.start(identity.issuedTokens());
        this.graph = FakeGraphMailEndpoint.start(identity.issuedTokens());
        this.trustStore = TestTls.writeTrustStore(dataDir.resolve("trust"));
    }

    /** The configuration a console would write for the Custom cloud pointed at the fakes. */
    Map<String, Object> configuration(String protocol) {
        Map<String, Object> c = new HashMap<>();
        c.put("name", "m365");
        c.put("cloud", "custom");
        c.put("authorityUrl", identity.authorityUrl());
        c.put("clientId", identity.clientId());
        c.put("clientSecret", SECRET);
        c.put("username", MAILBOX);
        c.put("redirectUri", "http://localhost:9191/azure-oauth2-callback");
        c.put("protocol", protocol);
        c.put("smtpHost", smtp.host());
        c.put("smtpPort", smtp.port());
        c.put("smtpScope", "https://outlook.office.com/SMTP.Send");
        c.put("graphUrl", graph.graphUrl());
        c.put("graphScope", "https://graph.microsoft.com/Mail.Send");
        c.put("trustStore", trustStore.toString());
        c.put("trustStorePassword", TestTls.PASSWORD);
        c.put("connectTimeoutSeconds", 5);
        c.put("readTimeoutSeconds", 10);
        return c;
    }

    MicrosoftMailTransport transport(Map<String, Object> configuration, Clock clock) {
        String name = String.valueOf(configuration.get("name"));
        MicrosoftSettings settings = new MicrosoftSettings(name, TestConfigurations.of(configuration));
        return new MicrosoftMailTransport(name, settings, dataDir.resolve("tokens").resolve(name), clock);
    }

    MicrosoftMailTransport transport(String protocol) {
        return transport(configuration(protocol), Clock.systemUTC());
    }

    /** Runs the whole sign-in as the given account, as the console and a browser would. */
    AuthorizationRecord authorize(MicrosoftMailTransport transport, String account) throws Exception {
        AuthorizationStart start = transport.authorization().begin(BROWSER);
        Map<String, String> callback = identity.signIn(start.authorizationUrl(), account);
        assertEquals(start.state(), callback.get("state"));
        return transport.authorization().complete(callback, BROWSER);
    }

    /** Fails if a text shows the client secret or any token the fake issued. */
    static void assertNoSecret(String... texts) {
        for (String text : texts) {
            String t = String.valueOf(text);
            org.junit.jupiter.api.Assertions.assertFalse(t.contains(SECRET) || t.contains("fake-at-")
                    || t.contains("fake-rt-") || t.contains("fake-code-"), "secret or token shown: " + t);
        }
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> values = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return values;
    }

    @Override
    public void close() {
        graph.close();
        smtp.close();
        identity.close();
    }
}
