package notification.itest.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Hashtable;
import javax.sql.DataSource;
import notification.api.transport.MailTransport;
import notification.api.transport.TransportHealth;
import notification.itest.support.Await;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Inside the framework, a Microsoft 365 transport binds the outbox's shared PostgreSQL pool and, with a
 * {@code tokenKey} taken from {@code conf/secrets} through {@code $[secret:...]}, keeps its sign-in in the database
 * (the table is created at its first look); without {@code tokenKey} it warns that the sign-in stays on the node.
 */
class SharedSignInWiringTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String POOL = "(&(objectClass=javax.sql.DataSource)(notification.store=postgresql))";
    private static PostgresServer server;

    @InjectBundleContext
    BundleContext context;
    @InjectService
    ConfigurationAdmin configAdmin;

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void restore() throws Exception {
        configAdmin.getConfiguration("notification.core", "?").delete();
        Await.until(TIMEOUT, "the pool gone", () -> pool() == null);
    }

    @Test
    void aTransportWithTokenKeyKeepsItsSignInInTheSharedDatabaseAndOneWithoutWarns() throws Exception {
        String key = newKey();
        Path secrets = Path.of(context.getProperty("org.apache.felix.configadmin.plugin.interpolation.secretsdir"));
        Files.createDirectories(secrets);
        Files.writeString(secrets.resolve("itest-token-key"), key + "\n");
        Hashtable<String, Object> core = new Hashtable<>();
        core.put("store", "postgresql");
        core.put("jdbcUrl", server.jdbcUrl());
        core.put("jdbcUser", PostgresServer.USER);
        core.put("jdbcPassword", server.password());
        configAdmin.getConfiguration("notification.core", "?").update(core);
        Await.until(TIMEOUT, "the pool published", () -> pool() != null);

        Configuration shared = configAdmin.getFactoryConfiguration("notification.oauth.microsoft", "sharedsignin", "?");
        Hashtable<String, Object> props = properties();
        props.put("tokenKey", "$[secret:itest-token-key]");
        shared.update(props);
        Configuration local = configAdmin.getFactoryConfiguration("notification.oauth.microsoft", "localsignin", "?");
        local.update(properties());
        try {
            Await.until(TIMEOUT, "the shared sign-in's table", () -> tableExists());
            MailTransport sharing = context.getService(awaitTransport("sharedsignin"));
            TransportHealth h = sharing.health();
            assertEquals(TransportHealth.State.AUTHORIZATION_REQUIRED, h.state(), h.message());
            assertEquals(java.util.List.of(), h.warnings());
            ServiceReference<MailTransport> ref = awaitTransport("sharedsignin");
            for (String k : ref.getPropertyKeys()) {
                assertFalse(String.valueOf(ref.getProperty(k)).contains(key), "the key in " + k);
            }
            MailTransport alone = context.getService(awaitTransport("localsignin"));
            assertTrue(alone.health().warnings().stream().anyMatch(w -> w.contains("set tokenKey")),
                    alone.health().warnings().toString());
        } finally {
            shared.delete();
            local.delete();
        }
    }

    private static Hashtable<String, Object> properties() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("cloud", "custom");
        props.put("authorityUrl", "https://login.example.test/contoso/");
        props.put("clientId", "11111111-2222-3333-4444-555555555555");
        props.put("clientSecret", "shared-sign-in-wiring-secret");
        props.put("username", "scanner@contoso.example");
        props.put("smtpHost", "smtp.example.test");
        props.put("smtpScope", "https://outlook.office.com/SMTP.Send");
        return props;
    }

    private boolean tableExists() {
        ServiceReference<?> ref = pool();
        if (ref == null) {
            return false;
        }
        DataSource ds = (DataSource) context.getService(ref);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT to_regclass('notification_token_entry') IS NOT NULL")) {
            return r.next() && r.getBoolean(1);
        } catch (Exception e) {
            return false;
        } finally {
            context.ungetService(ref);
        }
    }

    private ServiceReference<MailTransport> awaitTransport(String name) throws Exception {
        String filter = "(" + MailTransport.NAME + "=" + name + ")";
        Await.until(TIMEOUT, "transport " + name, () -> {
            try {
                return !context.getServiceReferences(MailTransport.class, filter).isEmpty();
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
        return context.getServiceReferences(MailTransport.class, filter).iterator().next();
    }

    private ServiceReference<?> pool() {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, POOL);
            return refs == null ? null : refs[0];
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
