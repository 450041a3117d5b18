package notification.itest.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Hashtable;
import java.util.List;
import javax.sql.DataSource;
import notification.api.DeliveryState;
import notification.api.Notification;
import notification.api.NotificationService;
import notification.api.OutboxNode;
import notification.api.OutboxStoreStatus;
import notification.api.Receipt;
import notification.api.transport.BudgetKey;
import notification.api.transport.BudgetUse;
import notification.api.transport.MailTransport;
import notification.api.transport.SendingBudget;
import notification.itest.support.Await;
import notification.testkit.postgresql.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * {@code store=postgresql} inside the real framework: the driver's DataSourceFactory, the pool bundle and the core
 * wired together against a real PostgreSQL server; switching stores while running loses nothing queued; the sending
 * budget follows the store; switching back to the journal on the only node moves what waits in the database into
 * it; a database lost while delivering pauses deliveries, which the service, the page and the JSON say, and they
 * resume.
 */
class PostgresStoreTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String POOL = "(&(objectClass=javax.sql.DataSource)(notification.store=postgresql))";
    private static PostgresServer server;

    @InjectBundleContext
    BundleContext context;
    @InjectService
    NotificationService service;
    @InjectService
    ConfigurationAdmin configAdmin;
    @InjectService
    SendingBudget budget;
    private ServiceRegistration<MailTransport> transport;
    private String database;

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
        if (transport != null) {
            transport.unregister();
        }
        configAdmin.getConfiguration("notification.core", "?").delete();
        awaitJournal();
    }

    @BeforeEach
    void freshDatabase() throws Exception {
        database = "itest_" + Long.toHexString(System.nanoTime());
        server.createDatabase(database);
    }

    private void configure(String store) throws Exception {
        configure(store, new Hashtable<>());
    }

    private void configure(String store, Hashtable<String, Object> props) throws Exception {
        props.put("transports", new String[] {"itest-pg"});
        props.put("retryMinimum", 1L);
        props.put("retryMaximum", 2L);
        props.put("store", store);
        props.put("jdbcUrl", server.jdbcUrl(database));
        props.put("jdbcUser", PostgresServer.USER);
        props.put("jdbcPassword", server.password());
        configAdmin.getConfiguration("notification.core", "?").update(props);
        Await.until(TIMEOUT, "the configuration applied",
                () -> service.transports().stream().map(t -> t.name()).toList()
                .equals(java.util.List.of("itest-pg")));
    }

    private ServiceReference<?> pool() {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, POOL);
            return refs == null ? null : refs[0];
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private RecordingTransport registerTransport() {
        RecordingTransport t = new RecordingTransport("scanner@example.com", "Print Server");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(MailTransport.NAME, "itest-pg");
        props.put(MailTransport.TYPE, "itest");
        transport = context.registerService(MailTransport.class, t, props);
        return t;
    }

    private Receipt submit(String subject) {
        return service.submit(Notification.builder().to("jane@example.com").subject(subject).text("body " + subject)
                .build());
    }

    private DeliveryState state(Receipt r) {
        return service.find(r.id()).map(e -> e.state()).orElse(null);
    }

    /**
     * Waits until the notification service itself says it stores in the journal: the pool's service is gone from the
     * registry a moment before the service has let go of it (Felix removes a registration, then tells its users).
     */
    private void awaitJournal() throws InterruptedException {
        Await.until(TIMEOUT, "the journal in use", () -> OutboxStoreStatus.JOURNAL.equals(service.outboxStore().store()));
    }

    /** Waits until the notification service uses the database: its dispatcher has created the outbox's tables. */
    private void awaitSharedOutbox() throws Exception {
        Await.until(TIMEOUT, "the pool published", () -> pool() != null);
        Await.until(TIMEOUT, "the outbox's tables", () -> {
            try {
                return query("SELECT to_regclass('outbox_entry') IS NOT NULL", null).equals("t");
            } catch (Exception e) {
                return false;
            }
        });
    }

    private String stateInDatabase(Receipt r) throws Exception {
        return query("SELECT state FROM outbox_entry WHERE id = ?", r.id());
    }

    private String query(String sql, String parameter) throws Exception {
        ServiceReference<?> ref = pool();
        DataSource ds = (DataSource) context.getService(ref);
        try (Connection c = ds.getConnection();
                PreparedStatement p = c.prepareStatement(sql)) {
            if (parameter != null) {
                p.setString(1, parameter);
            }
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } finally {
            context.ungetService(ref);
        }
    }

    @Test
    void notificationsGoThroughTheSharedDatabaseAndNoServicePropertyCarriesThePassword() throws Exception {
        RecordingTransport t = registerTransport();
        configure("postgresql");
        awaitSharedOutbox();
        for (String key : pool().getPropertyKeys()) {
            assertFalse(String.valueOf(pool().getProperty(key)).contains(server.password()), key);
        }
        ServiceReference<NotificationService> ns = context.getServiceReference(NotificationService.class);
        assertNull(ns.getProperty("jdbcPassword"), "the service's properties are not the configuration's: "
                + Arrays.toString(ns.getPropertyKeys()));

        Receipt r = submit("through PostgreSQL");
        assertEquals("QUEUED,SENDING,SENT".contains(stateInDatabase(r)), true, "the entry is a row of the database");
        Await.until(TIMEOUT, "SENT", () -> state(r) == DeliveryState.SENT);
        assertEquals("SENT", stateInDatabase(r));
        assertEquals(r.messageId(), t.delivered.get(t.delivered.size() - 1).messageId());
    }

    @Test
    void theSendingBudgetFollowsTheStoreAndCountsInTheDatabaseWhileItIsShared() throws Exception {
        BudgetKey key = new BudgetKey("scanner@contoso.example", "smtp");
        configure("journal");
        Await.until(TIMEOUT, "the budget counting in memory", () -> "journal".equals(budgetStore()));
        assertFalse(budget.use(key).shared());

        configure("postgresql");
        awaitSharedOutbox();
        Await.until(TIMEOUT, "the budget counting in the database", () -> "postgresql".equals(budgetStore()));
        assertTrue(budget.startMessage(key, 2, 30, 10_000).allowed());
        BudgetUse use = budget.use(key);
        assertTrue(use.shared(), String.valueOf(use));
        assertEquals(1, use.startsLastMinute());
        assertEquals(2, use.recipientsLastDay());
        assertEquals("1", query("SELECT count(*) FROM budget_start WHERE mailbox = ?", key.mailbox()));
        ServiceReference<SendingBudget> ref = context.getServiceReference(SendingBudget.class);
        for (String name : ref.getPropertyKeys()) {
            assertFalse(String.valueOf(ref.getProperty(name)).contains(server.password()), name);
        }

        configure("journal");
        Await.until(TIMEOUT, "the budget back in memory", () -> "journal".equals(budgetStore()));
        assertFalse(budget.use(key).shared());
    }

    private String budgetStore() {
        ServiceReference<SendingBudget> ref = context.getServiceReference(SendingBudget.class);
        return ref == null ? null : String.valueOf(ref.getProperty("notification.store"));
    }

    @Test
    void switchingToPostgresqlWhileMailWaitsInTheJournalLosesNothing() throws Exception {
        configure("journal");
        Receipt waiting = submit("waits in the journal"); // no transport yet: it stays queued
        assertEquals(DeliveryState.QUEUED, state(waiting));

        configure("postgresql");
        awaitSharedOutbox();
        Receipt shared = submit("goes to the database");
        assertEquals(DeliveryState.QUEUED, state(waiting), "the journal's entry is still listed");
        RecordingTransport t = registerTransport();
        Await.until(TIMEOUT, "both SENT",
                () -> state(waiting) == DeliveryState.SENT && state(shared) == DeliveryState.SENT);
        assertNull(stateInDatabase(waiting), "the journal drained itself: its entry never moved");
        assertEquals("SENT", stateInDatabase(shared));
        assertEquals(2, t.delivered.size());

        configure("journal");
        awaitJournal();
        Receipt back = submit("back in the journal");
        Await.until(TIMEOUT, "SENT", () -> state(back) == DeliveryState.SENT);
    }

    @Test
    void switchingBackToTheJournalOnTheOnlyNodeMovesWhatWaitsInTheDatabaseIntoItAndSendsIt() throws Exception {
        configure("postgresql");
        awaitSharedOutbox();
        Receipt first = submit("waits in the database"); // no transport yet: they stay queued
        Receipt second = submit("waits there too");
        assertEquals("QUEUED", stateInDatabase(first));
        assertEquals("QUEUED", stateInDatabase(second));

        configure("journal");
        awaitJournal();
        Await.until(TIMEOUT, "both listed from the journal",
                () -> state(first) == DeliveryState.QUEUED && state(second) == DeliveryState.QUEUED);
        RecordingTransport t = registerTransport();
        Await.until(TIMEOUT, "both SENT",
                () -> state(first) == DeliveryState.SENT && state(second) == DeliveryState.SENT);
        List<String> sent = t.delivered.stream().map(d -> d.messageId()).toList();
        assertEquals(2, sent.size(), "each sent once: " + sent);
        assertTrue(sent.containsAll(List.of(first.messageId(), second.messageId())), "with its Message-ID: " + sent);

        configure("postgresql");
        awaitSharedOutbox();
        assertEquals("0", query("SELECT count(*) FROM outbox_entry", null), "nothing left in the database");
    }

    @Test
    void stoppingThePoolsBundleWhileTheConfigurationSaysPostgresqlMovesNothing() throws Exception {
        configure("postgresql");
        awaitSharedOutbox();
        Receipt waiting = submit("stays in the database"); // no transport: it stays queued
        Bundle poolBundle = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "notification.store.postgresql".equals(b.getSymbolicName())).findFirst().orElseThrow();
        poolBundle.stop();
        try {
            awaitJournal();
            assertTrue(service.find(waiting.id()).isEmpty(), "not moved into the journal: the store is still chosen");
        } finally {
            poolBundle.start();
        }
        awaitSharedOutbox();
        assertEquals("QUEUED", stateInDatabase(waiting));
        Await.until(TIMEOUT, "listed from the database again", () -> state(waiting) == DeliveryState.QUEUED);
        assertTrue(service.discard(waiting.id()), "gone, so that no later test sends it");
    }

    @Test
    void whileTheDatabaseIsLostDeliveriesPauseThePageAndJsonSaySoAndTheyResumeLosingNothing() throws Exception {
        RecordingTransport t = registerTransport();
        t.delayMillis = 200; // deliveries are under way when the database goes
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("leaseSeconds", 3L); // a send whose outcome is cut off is taken again soon after
        configure("postgresql", props);
        awaitSharedOutbox();
        List<Receipt> receipts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            receipts.add(submit("while the database goes " + i));
        }
        Await.until(TIMEOUT, "a delivery done", () -> !t.delivered.isEmpty());

        server.halt();
        try {
            Await.until(TIMEOUT, "the status says the database is gone", () -> !service.outboxStore().reachable());
            OutboxStoreStatus lost = service.outboxStore();
            assertEquals(OutboxStoreStatus.POSTGRESQL, lost.store());
            assertTrue(lost.problem().contains("cannot be reached"), lost.problem());
            assertTrue(lost.problem().contains("deliveries pause until it is back"), lost.problem());
            assertFalse(lost.problem().contains(server.password()));
            String json = console(".json");
            assertTrue(json.contains("\"reachable\":false,\"deliveries\":\"PAUSED\""), json);
            String page = console("");
            assertTrue(page.contains("id=\"store-problem\""), page);
            assertTrue(page.contains("<b>Deliveries paused:</b>"), page);
            assertTrue(page.contains("id=\"outbox-unavailable\""), page);
            assertFalse(page.contains(server.password()));
        } finally {
            server.resume();
        }

        for (Receipt r : receipts) {
            Await.until(TIMEOUT, r.id() + " SENT", () -> state(r) == DeliveryState.SENT);
            assertEquals(List.of(r.messageId()), t.delivered.stream().filter(d -> d.notificationId().equals(r.id()))
                    .map(d -> d.messageId()).distinct().toList(), "sent, and again only with its Message-ID");
        }
        Await.until(TIMEOUT, "the status says the database is back", () -> service.outboxStore().reachable());
        OutboxStoreStatus back = service.outboxStore();
        assertNull(back.problem());
        String node = back.node();
        Await.until(TIMEOUT, "this node listed as active", () -> service.outboxStore().nodes().stream()
                .anyMatch(n -> n.name().equals(node) && n.thisNode() && n.active()));
        String json = console(".json");
        assertTrue(json.contains("\"reachable\":true,\"deliveries\":\"RUNNING\""), json);
        String page = console("");
        assertFalse(page.contains("store-problem"), page);
        assertTrue(page.contains("id=\"nodes-table\""), page);
        OutboxNode self = service.outboxStore().nodes().stream().filter(OutboxNode::thisNode).findFirst().orElseThrow();
        assertEquals(0, self.leases() + self.expiredLeases(), "everything sent: nothing is left under lease");
    }

    /** GETs the Notifications page (or, with ".json", its status) from this framework's console. */
    private String console(String suffix) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port")
                        + "/system/console/notifications" + suffix)).header("Authorization", auth)
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
