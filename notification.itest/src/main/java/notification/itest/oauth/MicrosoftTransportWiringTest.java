package notification.itest.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Hashtable;
import java.util.concurrent.Callable;
import notification.api.authorization.AuthorizationException;
import notification.api.authorization.AuthorizationStart;
import notification.api.authorization.InteractiveAuthorization;
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
 * A factory configuration {@code notification.oauth.microsoft~NAME} publishes a Microsoft 365 transport and its
 * sign-in service inside the framework, with MSAL4J embedded in the OAuth bundle, and without the client secret in
 * any service property.
 */
class MicrosoftTransportWiringTest {

    private static final String SECRET = "wiring-test-secret-Value";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @Test
    void aDelegatedMailboxPublishesTransportAndSignInButNotItsSecret() throws Exception {
        Configuration config = configAdmin.getFactoryConfiguration("notification.oauth.microsoft", "wiring", "?");
        config.update(properties("delegated"));
        try {
            ServiceReference<MailTransport> transportRef = await(() -> reference(MailTransport.class, "wiring"));
            assertEquals("microsoft", transportRef.getProperty(MailTransport.TYPE));
            for (String key : transportRef.getPropertyKeys()) {
                assertFalse(String.valueOf(transportRef.getProperty(key)).contains(SECRET), "secret in " + key);
            }
            MailTransport transport = context.getService(transportRef);
            assertEquals(TransportHealth.State.AUTHORIZATION_REQUIRED, transport.health().state());
            assertEquals(3, transport.limits().maxConnections());
            assertEquals("scanner@contoso.example", transport.sender().address());

            ServiceReference<InteractiveAuthorization> signInRef =
                    await(() -> reference(InteractiveAuthorization.class, "wiring"));
            InteractiveAuthorization signIn = context.getService(signInRef);
            assertEquals("scanner@contoso.example", signIn.expectedAccount());
            AuthorizationStart start = signIn.begin("browser-binding");
            String url = start.authorizationUrl().toString();
            assertTrue(url.startsWith("https://login.example.test/contoso/oauth2/v2.0/authorize?"), url);
            assertTrue(url.contains("login_hint=scanner%40contoso.example"), url);
            assertTrue(url.contains("code_challenge_method=S256"), url);
            assertTrue(signIn.recognizes(start.state()));
        } finally {
            config.delete();
        }
        await(() -> reference(MailTransport.class, "wiring") == null ? Boolean.TRUE : null);
    }

    @Test
    void anAppOnlyMailboxNeedsNoSignInService() throws Exception {
        Configuration config = configAdmin.getFactoryConfiguration("notification.oauth.microsoft", "apponly", "?");
        Hashtable<String, Object> props = properties("app");
        props.put("name", "m365-app");
        config.update(props);
        try {
            ServiceReference<MailTransport> ref = await(() -> reference(MailTransport.class, "m365-app"));
            assertEquals(TransportHealth.State.OK, context.getService(ref).health().state());
            assertNull(reference(InteractiveAuthorization.class, "m365-app"));
        } finally {
            config.delete();
        }
    }

    @Test
    void anIncompleteConfigurationSaysWhatIsMissing() throws Exception {
        Configuration config = configAdmin.getFactoryConfiguration("notification.oauth.microsoft", "incomplete", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("username", "scanner@contoso.example");
        config.update(props);
        try {
            ServiceReference<MailTransport> ref = await(() -> reference(MailTransport.class, "incomplete"));
            TransportHealth health = context.getService(ref).health();
            assertEquals(TransportHealth.State.NOT_CONFIGURED, health.state());
            assertTrue(health.message().contains("tenantId") && health.message().contains("clientId"),
                    health.message());
            InteractiveAuthorization signIn = context.getService(
                    await(() -> reference(InteractiveAuthorization.class, "incomplete")));
            AuthorizationException refused = assertThrows(AuthorizationException.class, () -> signIn.begin("b"));
            assertEquals(AuthorizationException.Reason.NOT_CONFIGURED, refused.reason());
        } finally {
            config.delete();
        }
    }

    private static Hashtable<String, Object> properties(String authMode) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("cloud", "custom");
        props.put("authorityUrl", "https://login.example.test/contoso/");
        props.put("clientId", "11111111-2222-3333-4444-555555555555");
        props.put("clientSecret", SECRET);
        props.put("username", "scanner@contoso.example");
        props.put("smtpHost", "smtp.example.test");
        props.put("smtpScope", "https://outlook.office.com/SMTP.Send");
        props.put("authMode", authMode);
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
