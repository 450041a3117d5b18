package notification.itest.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Collection;
import java.util.Hashtable;
import notification.api.DeliveryState;
import notification.api.Notification;
import notification.api.NotificationService;
import notification.api.Receipt;
import notification.api.transport.MailTransport;
import notification.api.transport.TransportHealth;
import notification.itest.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The SMTP relay inside the real framework: a factory configuration becomes a named transport service (without its
 * password among the service properties) that the notification service delivers through, and changes apply live.
 */
class RelayTransportWiringTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String SECRET = "Itest-Relay-Secret-7";

    @InjectBundleContext
    BundleContext context;
    @InjectService
    ConfigurationAdmin configAdmin;
    @InjectService
    NotificationService service;

    private GreenMail greenMail;
    private Configuration relay;

    @BeforeEach
    void startServer() {
        greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("scanner@example.com", "scanner", SECRET));
        greenMail.start();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (relay != null) {
            relay.delete();
        }
        configAdmin.getConfiguration("notification.core", "?").delete();
        greenMail.stop();
    }

    private Hashtable<String, Object> relayProperties() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("host", "127.0.0.1");
        p.put("port", greenMail.getSmtp().getPort());
        p.put("security", "none");
        p.put("username", "scanner");
        p.put("password", SECRET);
        p.put("from", "scanner@example.com");
        p.put("fromName", "Scanner");
        return p;
    }

    private ServiceReference<MailTransport> awaitTransport(String name) throws Exception {
        String filter = "(" + MailTransport.NAME + "=" + name + ")";
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Collection<ServiceReference<MailTransport>> refs = context.getServiceReferences(MailTransport.class,
                    filter);
            if (!refs.isEmpty()) {
                return refs.iterator().next();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no transport service " + filter);
    }

    private Receipt submitAndAwaitSent(String subject) throws InterruptedException {
        Receipt r = service.submit(Notification.builder().to("jane@example.com").subject(subject).text("Your scan")
                .build());
        Await.until(TIMEOUT, subject + " SENT", () -> service.find(r.id()).orElseThrow().state() == DeliveryState.SENT);
        return r;
    }

    @Test
    void factoryConfigurationBecomesANamedTransportThatDeliversAndFollowsChanges() throws Exception {
        relay = configAdmin.getFactoryConfiguration("notification.relay", "itestoffice", "?");
        Hashtable<String, Object> props = relayProperties();
        relay.update(props);

        ServiceReference<MailTransport> ref = awaitTransport("itestoffice");
        assertEquals("relay", ref.getProperty(MailTransport.TYPE));
        for (String key : ref.getPropertyKeys()) {
            assertFalse(String.valueOf(ref.getProperty(key)).contains(SECRET), "service property " + key);
        }
        MailTransport transport = context.getService(ref);
        TransportHealth tested = transport.testConnection();
        assertEquals(TransportHealth.State.OK, tested.state(), tested.message());

        Hashtable<String, Object> core = new Hashtable<>();
        core.put("transports", new String[] {"itestoffice"});
        configAdmin.getConfiguration("notification.core", "?").update(core);
        // Config Admin delivers configuration asynchronously: wait until the service delivers through the relay
        Await.until(TIMEOUT, "itestoffice active", () -> service.transports().stream()
                .anyMatch(t -> t.name().equals("itestoffice") && t.active()));
        Receipt first = submitAndAwaitSent("through the relay");
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertEquals(1, received.length);
        assertEquals(first.messageId(), received[0].getMessageID());
        assertEquals("itestoffice", service.find(first.id()).orElseThrow().transport());

        props.put("from", "printer@example.com");
        relay.update(props);
        Await.until(TIMEOUT, "new sender", () -> transport.sender().address().equals("printer@example.com"));
        assertEquals(ref.getProperty("service.id"), awaitTransport("itestoffice").getProperty("service.id"),
                "a change keeps the service registered");
        submitAndAwaitSent("after the change");
        MimeMessage second = greenMail.getReceivedMessages()[1];
        assertEquals("<printer@example.com>", second.getHeader("Return-Path", null));

        relay.delete();
        relay = null;
        Await.until(TIMEOUT, "transport gone", () -> isGone("itestoffice"));
    }

    private boolean isGone(String name) {
        try {
            return context.getServiceReferences(MailTransport.class, "(" + MailTransport.NAME + "=" + name + ")")
                    .isEmpty();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBadConfigurationIsVisibleAsNotConfigured() throws Exception {
        relay = configAdmin.getFactoryConfiguration("notification.relay", "itestbroken", "?");
        Hashtable<String, Object> props = relayProperties();
        props.put("security", "ssl");
        relay.update(props);

        MailTransport transport = context.getService(awaitTransport("itestbroken"));
        TransportHealth health = transport.health();
        assertEquals(TransportHealth.State.NOT_CONFIGURED, health.state());
        assertNotNull(health.message());
        assertTrue(health.message().contains("'security'"), health.message());
        assertFalse(health.message().contains(SECRET));
    }
}
