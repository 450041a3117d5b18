package notification.itest.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Hashtable;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import notification.api.NotificationEvents;
import notification.api.NotificationService;
import notification.api.TransportStatus;
import notification.itest.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Warnings before things break, inside the real framework: an expiring client secret shows in the health and as a
 * {@code notification/WARNING} event; the administrator ({@code alertTo}) gets one e-mail, through a transport that
 * really sends, and no second one after the notification service restarts. A relay proves itself without sending.
 */
class AdministratorAlertsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @InjectBundleContext
    BundleContext context;
    @InjectService
    ConfigurationAdmin configAdmin;

    private GreenMail greenMail;
    private Configuration relay;
    private Configuration microsoft;
    private ServiceRegistration<EventHandler> listener;

    @BeforeEach
    void startServer() {
        greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (listener != null) {
            listener.unregister();
        }
        configAdmin.getConfiguration("notification.core", "?").delete();
        for (Configuration c : new Configuration[] {relay, microsoft}) {
            if (c != null) {
                c.delete();
            }
        }
        greenMail.stop();
    }

    private Configuration relayTo(String name) throws Exception {
        Configuration c = configAdmin.getFactoryConfiguration("notification.relay", name, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("host", "127.0.0.1");
        p.put("port", greenMail.getSmtp().getPort());
        p.put("security", "none");
        p.put("from", "scanner@example.com");
        c.update(p);
        return c;
    }

    @Test
    void aRelayIsProvenByTheAutomaticCheckWithoutSendingAnything() throws Exception {
        String name = "proven" + Long.toString(System.nanoTime(), 36);
        relay = relayTo(name);
        Hashtable<String, Object> core = new Hashtable<>();
        core.put("transports", new String[] {name});
        configAdmin.getConfiguration("notification.core", "?").update(core);
        NotificationService service = service();

        Await.until(TIMEOUT, "the relay proven",
                () -> status(service, name).map(t -> t.health().verified()).orElse(false));

        assertEquals("OK", status(service, name).orElseThrow().health().state().name());
        assertEquals(0, greenMail.getReceivedMessages().length, "the check sends nothing");
    }

    @Test
    void anExpiringSecretWarnsAndTheAdministratorIsMailedOnceEvenAcrossARestart() throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        String expiring = "expiring" + suffix;
        String alerting = "alerting" + suffix;
        BlockingQueue<Event> warnings = new LinkedBlockingQueue<>();
        Hashtable<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, NotificationEvents.TOPIC_WARNING);
        topics.put(EventConstants.EVENT_FILTER, "(" + NotificationEvents.TRANSPORT + "=" + expiring + ")");
        listener = context.registerService(EventHandler.class, warnings::add, topics);

        relay = relayTo(alerting);
        microsoft = configAdmin.getFactoryConfiguration("notification.oauth.microsoft", expiring, "?");
        Hashtable<String, Object> m = new Hashtable<>();
        String expires = LocalDate.now(ZoneOffset.UTC).plusDays(10).toString();
        m.put("secretExpires", expires);
        microsoft.update(m);
        Hashtable<String, Object> core = new Hashtable<>();
        core.put("transports", new String[] {expiring, alerting});
        configAdmin.getConfiguration("notification.core", "?").update(core);
        Await.until(TIMEOUT, "both transports bound", () -> status(service(), expiring).isPresent()
                && status(service(), alerting).isPresent());
        core.put("alertTo", "admin@example.com");
        configAdmin.getConfiguration("notification.core", "?").update(core);

        Event warning = warnings.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(warning, "no notification/WARNING event for " + expiring);
        String reason = String.valueOf(warning.getProperty(NotificationEvents.REASON));
        assertTrue(reason.startsWith("The client secret expires in 10 days (" + expires + ")"), reason);
        assertTrue(status(service(), expiring).orElseThrow().health().warnings().contains(reason));

        Await.until(TIMEOUT, "the alert e-mail", () -> greenMail.getReceivedMessages().length >= 1);
        MimeMessage alert = greenMail.getReceivedMessages()[0];
        assertEquals("admin@example.com", alert.getAllRecipients()[0].toString());
        assertEquals("scanner@example.com", alert.getFrom()[0].toString().replaceAll(".*<|>.*", ""));
        String body = GreenMailUtil.getBody(alert);
        assertTrue(body.contains("Transport '" + expiring + "', the one meant to deliver, needs attention"), body);
        assertTrue(body.contains("The client secret of transport '" + expiring + "' expires on " + expires), body);

        Bundle coreBundle = bundle("notification.core");
        coreBundle.stop();
        warnings.clear();
        coreBundle.start();
        // after the restart the warning is posted again, by a check that first looked at what to mail
        assertNotNull(warnings.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "no check after the restart");
        assertEquals(1, greenMail.getReceivedMessages().length, "the same conditions are mailed once a day only");
    }

    private NotificationService service() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            var ref = context.getServiceReference(NotificationService.class);
            NotificationService service = ref == null ? null : context.getService(ref);
            if (service != null) {
                return service;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no NotificationService");
    }

    private static Optional<TransportStatus> status(NotificationService service, String name) {
        return service.transports().stream().filter(t -> t.name().equals(name) && t.bound()).findFirst();
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals(symbolicName)) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }
}
