package notification.core.internal;

import jakarta.mail.util.StreamProvider;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import notification.api.InvalidNotificationException;
import notification.api.Notification;
import notification.api.NotificationEvents;
import notification.api.NotificationService;
import notification.api.TransportStatus;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.TransportHealth;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns before things break and tells the administrator when they have: posts {@code notification/WARNING} for every
 * new warning of a transport, and mails {@code alertTo} (at most once a day per condition, also across restarts)
 * while the delivering transport needs attention, a client secret expires within 14 days, or failed notifications
 * wait in the outbox. Looks after activation, on every change of its configuration or of the transports, on every
 * deferred or failed notification, and every five minutes.
 */
@Component(service = EventHandler.class, immediate = true, configurationPid = CoreConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {EventConstants.EVENT_TOPIC + "=" + NotificationEvents.TOPIC_DEFERRED,
            EventConstants.EVENT_TOPIC + "=" + NotificationEvents.TOPIC_FAILED})
public final class AdministratorAlerts implements EventHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AdministratorAlerts.class);
    private static final Duration PERIOD = Duration.ofMinutes(5);
    /** While transports are still being configured after a start, one that is not there yet is not a problem. */
    private static final Duration START_GRACE = Duration.ofMinutes(2);
    /** How long a deactivation waits for an alert being sent. */
    private static final Duration SEND_WAIT = Duration.ofSeconds(30);
    private static final String SUBJECT = "Print-server notifications need attention";

    private final NotificationService service;
    private final ConfigurationAdmin configAdmin;
    private final AlertLedger ledger;
    private final Clock clock = Clock.systemUTC();
    private final Instant started;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private final Map<MailTransport, Map<String, Object>> transports = new ConcurrentHashMap<>();
    private final Set<String> postedWarnings = new HashSet<>();
    private final MailClassLoader mail = new MailClassLoader(() -> this.mailStreams);
    private volatile String alertTo;
    private volatile boolean stopping;
    private volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StreamProvider mailStreams;

    /**
     * Starts looking.
     *
     * @param context the bundle context, for the data directory
     * @param config the configuration ({@code alertTo})
     * @param service the notification service, for the transports' status and the outbox counts
     * @param configAdmin Config Admin, for the transports' {@code secretExpires} dates
     */
    @Activate
    public AdministratorAlerts(BundleContext context, CoreConfiguration config,
            @Reference NotificationService service, @Reference ConfigurationAdmin configAdmin) {
        this.service = service;
        this.configAdmin = configAdmin;
        this.ledger = new AlertLedger(OutboxNotificationService.dataDir(context).resolve("alerts"));
        this.alertTo = config.alertTo() == null ? "" : config.alertTo().strip();
        this.started = clock.instant();
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "notification.core alerts");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::checkSafely, 0, PERIOD.toSeconds(), TimeUnit.SECONDS);
    }

    @Modified
    void modified(CoreConfiguration config) {
        alertTo = config.alertTo() == null ? "" : config.alertTo().strip();
        queueCheck();
    }

    /**
     * Stops looking. A check that is sending lets its send finish (transports bound their time) and records it, so
     * that the next activation, which follows at once when the notification service restarts, does not mail again.
     */
    @Deactivate
    void deactivate() throws InterruptedException {
        stopping = true;
        executor.shutdown();
        if (!executor.awaitTermination(SEND_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEventAdmin(EventAdmin events) {
        eventAdmin = events;
        queueCheck();
    }

    void unbindEventAdmin(EventAdmin events) {
        if (eventAdmin == events) {
            eventAdmin = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTransport(MailTransport transport, Map<String, Object> props) {
        transports.put(transport, props);
        queueCheck();
    }

    void updatedTransport(MailTransport transport, Map<String, Object> props) {
        transports.put(transport, props);
        queueCheck();
    }

    void unbindTransport(MailTransport transport) {
        transports.remove(transport);
    }

    /** A notification was deferred or failed: look soon (once, however many arrive). */
    @Override
    public void handleEvent(Event event) {
        queueCheck();
    }

    private void queueCheck() {
        if (checkQueued.compareAndSet(false, true)) {
            try {
                executor.execute(this::checkSafely);
            } catch (RejectedExecutionException stopped) {
                // deactivated
            }
        }
    }

    private void checkSafely() {
        checkQueued.set(false);
        if (stopping) {
            return; // a check queued before the deactivation: the next activation looks again
        }
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("Administrator alerts: the check failed: {}", e.toString());
        }
    }

    private void check() {
        Instant now = clock.instant();
        String to = alertTo;
        if (!to.isEmpty()) {
            List<TransportStatus> statuses = service.transports();
            List<TransportStatus> settled = now.isBefore(started.plus(START_GRACE)) && !statuses.isEmpty()
                    && !statuses.get(0).bound() ? List.of() : statuses;
            List<AlertConditions.Condition> due = AlertConditions.of(settled, service.counts(), secretExpiries(),
                    LocalDate.ofInstant(now, ZoneOffset.UTC)).stream().filter(c -> ledger.due(c.key(), now)).toList();
            if (!due.isEmpty()) {
                send(to, due, statuses, now);
            }
        }
        postNewWarnings();
    }

    private void send(String to, List<AlertConditions.Condition> due, List<TransportStatus> order, Instant now) {
        StringBuilder text = new StringBuilder("The print server's e-mail notifications need attention:\n\n");
        due.forEach(c -> text.append("- ").append(c.sentence()).append("\n\n"));
        text.append("Details are on the Notifications page of the console. This address (alertTo in "
                + "notification.core) is told at most once a day about each of these.\n");
        Notification alert;
        try {
            alert = Notification.builder().to(to).subject(SUBJECT).text(text.toString())
                    .header("Auto-Submitted", "auto-generated").build();
        } catch (RuntimeException e) {
            LOG.warn("Administrator alerts: alertTo '{}' is not usable: {}", to, e.getMessage());
            return;
        }
        for (Map.Entry<MailTransport, Map<String, Object>> t : senders(order)) {
            String name = TransportRegistry.nameOf(t.getValue());
            try {
                AlertMessage message = AlertMessage.render(alert, t.getKey().sender(), now, mail);
                DeliveryResult result = t.getKey().deliver(message);
                if (result.status() == DeliveryResult.Status.SENT) {
                    ledger.sent(due.stream().map(AlertConditions.Condition::key).toList(), now);
                    LOG.info("Administrator alert sent to {} through '{}': {}", to, name,
                            due.stream().map(AlertConditions.Condition::key).toList());
                    return;
                }
                LOG.warn("Administrator alert not sent through '{}': {}", name, result.reply());
            } catch (InvalidNotificationException e) {
                LOG.warn("Administrator alerts: alertTo '{}' is not usable: {}", to, e.getMessage());
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("Administrator alert not sent through '{}': {}", name, e.toString());
            }
        }
        LOG.warn("Administrator alert to {} not sent: no transport that really sends mail could deliver it", to);
    }

    /** The transports that really send (not pickup) and can deliver now: configured order first, proven first. */
    private List<Map.Entry<MailTransport, Map<String, Object>>> senders(List<TransportStatus> order) {
        List<String> names = order.stream().map(TransportStatus::name).toList();
        Map<MailTransport, TransportHealth> health = new HashMap<>();
        List<Map.Entry<MailTransport, Map<String, Object>>> candidates = new ArrayList<>();
        for (Map.Entry<MailTransport, Map<String, Object>> e : transports.entrySet()) {
            TransportHealth h = healthOf(e.getKey());
            if (!"pickup".equals(String.valueOf(e.getValue().get(MailTransport.TYPE))) && h != null && h.canDeliver()) {
                health.put(e.getKey(), h);
                candidates.add(e);
            }
        }
        candidates.sort(Comparator.<Map.Entry<MailTransport, Map<String, Object>>>comparingInt(e -> {
            int i = names.indexOf(TransportRegistry.nameOf(e.getValue()));
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparing(e -> !health.get(e.getKey()).provenOk()).thenComparing(
                e -> health.get(e.getKey()).state() != TransportHealth.State.OK));
        return candidates;
    }

    private static TransportHealth healthOf(MailTransport transport) {
        try {
            return transport.health();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The {@code secretExpires} date of every configuration that has one, by transport name. */
    private Map<String, LocalDate> secretExpiries() {
        Map<String, LocalDate> dates = new HashMap<>();
        try {
            Configuration[] found = configAdmin.listConfigurations("(secretExpires=*)");
            for (Configuration c : found == null ? new Configuration[0] : found) {
                if (c.getProperties() == null) {
                    continue;
                }
                Map<String, Object> props = new HashMap<>();
                for (String key : Collections.list(c.getProperties().keys())) {
                    props.put(key, c.getProperties().get(key));
                }
                String name = TransportRegistry.nameOf(props);
                String date = String.valueOf(props.get("secretExpires")).strip();
                if (name != null && !date.isEmpty()) {
                    try {
                        dates.put(name, LocalDate.parse(date));
                    } catch (DateTimeParseException notADate) {
                        // the transport's own health says how to write it
                    }
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Administrator alerts: cannot read the secretExpires dates: {}", e.toString());
        }
        return dates;
    }

    /** Posts {@code notification/WARNING} for each transport warning not posted while it lasted. */
    private void postNewWarnings() {
        Set<String> current = new HashSet<>();
        EventAdmin events = eventAdmin;
        for (Map.Entry<MailTransport, Map<String, Object>> e : transports.entrySet()) {
            TransportHealth h = healthOf(e.getKey());
            String name = TransportRegistry.nameOf(e.getValue());
            if (h == null || name == null) {
                continue;
            }
            for (String warning : h.warnings()) {
                String key = name + '\n' + warning;
                current.add(key);
                if (!postedWarnings.contains(key) && events != null) {
                    events.postEvent(new Event(NotificationEvents.TOPIC_WARNING, Map.of(
                            NotificationEvents.TRANSPORT, name, NotificationEvents.REASON, warning)));
                    LOG.warn("Transport '{}': {}", name, warning);
                } else if (events == null) {
                    current.remove(key); // post it once Event Admin is there
                }
            }
        }
        postedWarnings.clear();
        postedWarnings.addAll(current);
    }
}
