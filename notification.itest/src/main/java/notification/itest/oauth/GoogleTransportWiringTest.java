package notification.itest.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Hashtable;
import java.util.concurrent.Callable;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationStart;
import notification.api.authorization.InteractiveAuthorization;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.TransportHealth;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * A factory configuration {@code notification.oauth.google~NAME} publishes a Gmail / Google Workspace transport and its
 * sign-in service inside the framework, without the client secret in any service property, and withdraws them when
 * the configuration is deleted.
 */
class GoogleTransportWiringTest {

    private static final String SECRET = "GOCSPX-wiring-test-secret";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @Test
    void aGmailMailboxPublishesTransportAndSignInButNotItsSecret() throws Exception {
        Configuration config = configAdmin.getFactoryConfiguration("notification.oauth.google", "gwiring", "?");
        config.update(properties());
        try {
            ServiceReference<MailTransport> transportRef = await(() -> reference(MailTransport.class, "gwiring"));
            assertEquals("google", transportRef.getProperty(MailTransport.TYPE));
            assertEquals("smtp", transportRef.getProperty("notification.transport.protocol"));
            for (String key : transportRef.getPropertyKeys()) {
                assertFalse(String.valueOf(transportRef.getProperty(key)).contains(SECRET), "secret in " + key);
            }
            MailTransport transport = context.getService(transportRef);
            assertEquals(TransportHealth.State.AUTHORIZATION_REQUIRED, transport.health().state());
            assertEquals(DeliveryResult.Status.UNAVAILABLE, transport.deliver(null).status());
            assertEquals(3, transport.limits().maxConnections());
            assertEquals(36700160L, transport.limits().maxMessageSize());
            assertEquals("scanner@printshop.example", transport.sender().address());

            InteractiveAuthorization signIn = context.getService(
                    await(() -> reference(InteractiveAuthorization.class, "gwiring")));
            assertEquals("scanner@printshop.example", signIn.expectedAccount());
            assertEquals("http://localhost:9191/google-oauth2-callback", signIn.redirectUri());
            AuthorizationStart start = signIn.begin("browser-binding");
            String url = start.authorizationUrl().toString();
            assertTrue(url.startsWith("https://accounts.google.com/o/oauth2/v2/auth?"), url);
            assertTrue(url.contains("scope=https%3A%2F%2Fmail.google.com%2F+openid+email"), url);
            assertTrue(url.contains("access_type=offline") && url.contains("prompt=consent"), url);
            assertTrue(url.contains("code_challenge_method=S256"), url);
            assertTrue(url.contains("login_hint=scanner%40printshop.example"), url);
            assertTrue(signIn.recognizes(start.state()));
        } finally {
            config.delete();
        }
        await(() -> reference(MailTransport.class, "gwiring") == null ? Boolean.TRUE : null);
        assertEquals(null, reference(InteractiveAuthorization.class, "gwiring"));
    }

    @Test
    void anIncompleteGmailConfigurationSaysWhatIsMissing() throws Exception {
        Configuration config = configAdmin.getFactoryConfiguration("notification.oauth.google", "gincomplete", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("username", "scanner@printshop.example");
        props.put("protocol", "api");
        config.update(props);
        try {
            ServiceReference<MailTransport> ref = await(() -> reference(MailTransport.class, "gincomplete"));
            TransportHealth health = context.getService(ref).health();
            assertEquals(TransportHealth.State.NOT_CONFIGURED, health.state());
            assertTrue(health.message().contains("clientId") && health.message().contains("clientSecret"),
                    health.message());
            InteractiveAuthorization signIn = context.getService(
                    await(() -> reference(InteractiveAuthorization.class, "gincomplete")));
            AuthorizationException refused = assertThrows(AuthorizationException.class, () -> signIn.begin("b"));
            assertEquals(AuthorizationException.Reason.NOT_CONFIGURED, refused.reason());
        } finally {
            config.delete();
        }
    }

    private static Hashtable<String, Object> properties() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("clientId", "1234567890-wiring.apps.googleusercontent.com");
        props.put("clientSecret", SECRET);
        props.put("username", "scanner@printshop.example");
        return props;
    }

    private <S> ServiceReference<S> reference(Class<S> type, String name) throws Exception {
        var refs = context.getServiceReferences(type, "(" + MailTransport.NAME + "=" + name + ")");
        return refs.isEmpty() ? null : refs.iterator().next();
    }

    private static <T> T await(Callable<T> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            T value = condition.call();
            if (value != null) {
                return value;
            }
            Thread.sleep(50);
        }
        T value = condition.call();
        assertNotNull(value, "condition not met within 20 s");
        return value;
    }
}
