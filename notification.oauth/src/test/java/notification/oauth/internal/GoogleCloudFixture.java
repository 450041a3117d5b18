package notification.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import notification.api.authorization.AuthorizationRecord;
import notification.api.authorization.AuthorizationStart;
import notification.testkit.FakeExchangeSmtpServer;
import notification.testkit.FakeGoogle;
import notification.testkit.TestTls;

/** The fake Google of one test (OAuth endpoints, Gmail API, smtp.gmail.com) and transports pointed at it. */
final class GoogleCloudFixture implements AutoCloseable {

    static final String MAILBOX = "scanner@printshop.example";
    static final String CONSUMER = "printshop.scans@gmail.example";
    static final String CLIENT_ID = "1234567890-fake.apps.googleusercontent.com";
    static final String SECRET = "GOCSPX-fake_client-secret";
    static final String BROWSER = "hash-of-admin-session-cookie";

    final FakeGoogle google;
    final FakeExchangeSmtpServer smtp;
    final Path dataDir;
    final Path trustStore;

    GoogleCloudFixture(Path dataDir) {
        this.dataDir = dataDir;
        this.google = FakeGoogle.start(CLIENT_ID, SECRET);
        google.addWorkspaceAccount(MAILBOX);
        google.addWorkspaceAccount("intern@printshop.example");
        google.addConsumerAccount(CONSUMER);
        google.addAccount("unverified@printshop.example", false, "");
        this.smtp = FakeExchangeSmtpServer.startForGmail(google.issuedTokens());
        this.trustStore = TestTls.writeTrustStore(dataDir.resolve("trust"));
    }

    /** The configuration a console would write, pointed at the fakes. */
    Map<String, Object> configuration(String protocol) {
        Map<String, Object> c = new HashMap<>();
        c.put("name", "gmail");
        c.put("clientId", CLIENT_ID);
        c.put("clientSecret", SECRET);
        c.put("username", MAILBOX);
        c.put("protocol", protocol);
        c.put("authorizationUrl", google.authorizationUrl());
        c.put("tokenUrl", google.tokenUrl());
        c.put("apiUrl", google.apiUrl());
        c.put("smtpHost", smtp.host());
        c.put("smtpPort", smtp.port());
        c.put("trustStore", trustStore.toString());
        c.put("trustStorePassword", TestTls.PASSWORD);
        c.put("connectTimeoutSeconds", 5);
        c.put("readTimeoutSeconds", 10);
        return c;
    }

    GoogleMailTransport transport(Map<String, Object> configuration, Clock clock) {
        String name = String.valueOf(configuration.get("name"));
        GoogleSettings settings = new GoogleSettings(name, configuration(configuration));
        return new GoogleMailTransport(name, settings, dataDir.resolve("tokens").resolve(name), clock);
    }

    GoogleMailTransport transport(String protocol) {
        return transport(configuration(protocol), Clock.systemUTC());
    }

    /** Runs the whole sign-in as the given account, as the console and a browser would. */
    AuthorizationRecord authorize(GoogleMailTransport transport, String account) throws Exception {
        AuthorizationStart start = transport.authorization().begin(BROWSER);
        Map<String, String> callback = google.signIn(start.authorizationUrl(), account);
        assertEquals(start.state(), callback.get("state"));
        return transport.authorization().complete(callback, BROWSER);
    }

    /** Fails if a text shows the client secret or any token the fake issued. */
    static void assertNoSecret(String... texts) {
        for (String text : texts) {
            String t = String.valueOf(text);
            org.junit.jupiter.api.Assertions.assertFalse(t.contains(SECRET) || t.contains("fake-at-")
                    || t.contains("1//fake-") || t.contains("4/fake-"), "secret or token shown: " + t);
        }
    }

    /** Builds a {@link GoogleTransportConfiguration} from a map, as Declarative Services would from Config Admin. */
    static GoogleTransportConfiguration configuration(Map<String, Object> values) {
        Map<String, Object> copy = new HashMap<>(values);
        return (GoogleTransportConfiguration) Proxy.newProxyInstance(
                GoogleTransportConfiguration.class.getClassLoader(),
                new Class<?>[] {GoogleTransportConfiguration.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return copy.containsKey(method.getName()) ? copy.get(method.getName()) : method.getDefaultValue();
                });
    }

    @Override
    public void close() {
        smtp.close();
        google.close();
    }
}
