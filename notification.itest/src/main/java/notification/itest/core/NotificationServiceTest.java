package notification.itest.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import notification.api.Attachment;
import notification.api.DeliveryState;
import notification.api.Notification;
import notification.api.NotificationService;
import notification.api.Person;
import notification.api.Receipt;
import notification.api.TransportStatus;
import notification.api.transport.MailTransport;
import notification.api.transport.TransportHealth;
import notification.itest.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The notification service inside the real framework: configured through Config Admin, with transports registered
 * and unregistered as OSGi services while it runs.
 */
class NotificationServiceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @InjectBundleContext
    BundleContext context;
    @InjectService
    NotificationService service;
    @InjectService
    ConfigurationAdmin configAdmin;

    private final List<ServiceRegistration<MailTransport>> registrations = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void restore() throws Exception {
        for (ServiceRegistration<MailTransport> r : new ArrayList<>(registrations)) {
            unregister(r);
        }
        Configuration c = configAdmin.getConfiguration("notification.core", "?");
        c.delete();
        Await.until(TIMEOUT, "default transports again", () -> names().equals(List.of("pickup")));
    }

    private void configure(String... transports) throws Exception {
        Configuration c = configAdmin.getConfiguration("notification.core", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("transports", transports);
        props.put("retryMinimum", 1L);
        props.put("retryMaximum", 2L);
        c.update(props);
        Await.until(TIMEOUT, "configured transports " + Arrays.toString(transports),
                () -> names().equals(List.of(transports)));
    }

    private List<String> names() {
        return service.transports().stream().map(TransportStatus::name).toList();
    }

    private ServiceRegistration<MailTransport> register(String name, RecordingTransport t) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(MailTransport.NAME, name);
        props.put(MailTransport.TYPE, "itest");
        ServiceRegistration<MailTransport> r = context.registerService(MailTransport.class, t, props);
        registrations.add(r);
        return r;
    }

    private void unregister(ServiceRegistration<MailTransport> r) {
        if (registrations.remove(r)) {
            r.unregister();
        }
    }

    private Receipt submit(String subject) {
        return service.submit(Notification.builder().to("jane@example.com").subject(subject).text("body " + subject)
                .build());
    }

    private DeliveryState state(Receipt r) {
        return service.find(r.id()).orElseThrow().state();
    }

    @Test
    void submittedNotificationIsDeliveredWithItsMessageId() throws Exception {
        RecordingTransport office = new RecordingTransport("scanner@example.com", "Print Server");
        register("itest-office", office);
        configure("itest-office");
        Receipt r = service.submit(Notification.builder().to("Jane Roe <jane@example.com>").subject("Scan für Jane")
                .text("Your scan").html("<p>Your scan</p>")
                .attach(Attachment.ofBytes("scan.pdf", "application/pdf", "%PDF-1.4".getBytes(StandardCharsets.US_ASCII)))
                .onBehalfOf(new Person("Jürgen Müller", "jurgen@example.com")).reference("job-42").build());
        Await.until(TIMEOUT, "SENT", () -> state(r) == DeliveryState.SENT);
        RecordingTransport.Delivered d = office.delivered.get(0);
        assertEquals(r.id(), d.notificationId());
        assertEquals(r.messageId(), d.messageId());
        assertEquals(r.messageId(), d.parsedMessageId(), "saveChanges() inside OSGi keeps the Message-ID");
        assertEquals("Jürgen Müller <scanner@example.com>", d.parsedFrom());
        assertEquals(2, d.parsedParts(), "multipart parsed inside OSGi: body and attachment");
        assertEquals("scanner@example.com", d.envelopeFrom());
        assertTrue(d.raw().contains("Reply-To: =?UTF-8?B?"), d.raw());
        assertEquals("itest-office", service.find(r.id()).orElseThrow().transport());
    }

    @Test
    void withoutATransportNotificationsWaitAndGoOutWhenOneAppears() throws Exception {
        configure("itest-late");
        List<Receipt> receipts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            receipts.add(submit("waiting " + i));
        }
        Thread.sleep(500);
        for (Receipt r : receipts) {
            assertEquals(DeliveryState.QUEUED, state(r));
        }
        assertFalse(service.transports().get(0).bound());
        RecordingTransport late = new RecordingTransport("late@example.com", "Late");
        register("itest-late", late);
        Await.until(TIMEOUT, "all five sent", () -> receipts.stream().allMatch(r -> state(r) == DeliveryState.SENT));
        assertEquals(5, late.delivered.size());
    }

    @Test
    void failsOverToTheSecondWhenTheFirstNeedsAuthorization() throws Exception {
        RecordingTransport m365 = new RecordingTransport("scanner@contoso.example", "Scanner");
        m365.health = TransportHealth.of(TransportHealth.State.AUTHORIZATION_REQUIRED,
                "Authorization required: click Authorize and sign in");
        RecordingTransport relay = new RecordingTransport("relay@example.com", "Relay");
        register("itest-m365", m365);
        register("itest-relay", relay);
        configure("itest-m365", "itest-relay");
        List<TransportStatus> status = service.transports();
        assertFalse(status.get(0).active());
        assertEquals(TransportHealth.State.AUTHORIZATION_REQUIRED, status.get(0).health().state());
        assertTrue(status.get(1).active());
        Receipt r = submit("failover");
        Await.until(TIMEOUT, "SENT", () -> state(r) == DeliveryState.SENT);
        assertEquals(1, relay.delivered.size());
        assertEquals(0, m365.delivered.size());
        assertEquals("relay@example.com", relay.delivered.get(0).envelopeFrom());

        m365.health = TransportHealth.ok("Ready");
        Receipt after = submit("after sign-in");
        Await.until(TIMEOUT, "SENT", () -> state(after) == DeliveryState.SENT);
        assertEquals("itest-m365", service.find(after.id()).orElseThrow().transport());
    }

    @Test
    void swappingTheActiveTransportDuringABurstLosesNothing() throws Exception {
        RecordingTransport first = new RecordingTransport("first@example.com", "First");
        first.delayMillis = 2;
        RecordingTransport second = new RecordingTransport("second@example.com", "Second");
        ServiceRegistration<MailTransport> firstRegistration = register("itest-first", first);
        configure("itest-first", "itest-second");
        List<Receipt> receipts = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 400; i++) {
                receipts.add(submit("burst " + i));
            }
        });
        Await.until(TIMEOUT, "100 accepted", () -> receipts.size() >= 100);
        register("itest-second", second);
        Await.until(TIMEOUT, "200 accepted", () -> receipts.size() >= 200);
        unregister(firstRegistration);
        burst.get();
        Await.until(TIMEOUT, "all 400 sent", () -> receipts.stream().allMatch(r -> state(r) == DeliveryState.SENT));
        Set<String> delivered = new HashSet<>();
        first.delivered.forEach(d -> delivered.add(d.notificationId()));
        second.delivered.forEach(d -> delivered.add(d.notificationId()));
        Set<String> expected = new HashSet<>();
        receipts.forEach(r -> expected.add(r.id()));
        assertEquals(expected, delivered);
        assertFalse(second.delivered.isEmpty(), "the second transport took over");
    }
}
