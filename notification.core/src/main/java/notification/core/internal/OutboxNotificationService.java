package notification.core.internal;

import jakarta.mail.util.StreamProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import notification.api.DeliveryState;
import notification.api.InvalidNotificationException;
import notification.api.Notification;
import notification.api.NotificationService;
import notification.api.NotificationStoreException;
import notification.api.OutboxEntry;
import notification.api.OutboxStoreStatus;
import notification.api.Receipt;
import notification.api.TransportStatus;
import notification.api.transport.MailTransport;
import notification.api.transport.TransportLimits;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
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
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification service: checks, renders and durably stores notifications, and delivers them from the outbox.
 *
 * <p>The service is registered by this component rather than by DS so that its service properties never carry the
 * configuration's values ({@code jdbcPassword} among them).
 */
@Component(service = {}, immediate = true, configurationPid = CoreConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CoreConfiguration.class)
public final class OutboxNotificationService implements NotificationService {
    static final long COMPACT_ABOVE = 64L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(OutboxNotificationService.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final OutboxStore outbox;
    private final StoreSwitch stores;
    private final BundleContext context;
    private final ServiceRegistration<NotificationService> registration;
    private volatile String node;
    private volatile Duration lease = PostgresSettings.LEASE;
    private DataSource sharedPool;
    private PostgresSettings sharedSettings;
    private volatile boolean stopping;
    private final TransportRegistry registry = new TransportRegistry();
    private final MessageRenderer renderer;
    private final MessageIds ids = new MessageIds();
    private final StartupGate gate;
    private final OutboxDispatcher dispatcher;
    private volatile CoreSettings settings;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;

    /** The mail implementation's stream provider (registered by SPI Fly); its class loader is Angus Mail's. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StreamProvider mailStreams;

    /**
     * Opens the outbox under {@code <notification.data.dir>/outbox} and starts the dispatcher.
     *
     * @param context the bundle context, for the data directory
     * @param config the configuration
     * @throws IOException if the outbox cannot be opened
     */
    @Activate
    public OutboxNotificationService(BundleContext context, CoreConfiguration config, Map<String, Object> properties)
            throws IOException {
        this(journalStore(dataDir(context).resolve("outbox"), Clock.systemUTC()), checked(config), context,
                properties.containsKey(Constants.SERVICE_PID));
        this.node = NodeName.of(config.node(), context);
        this.lease = PostgresSettings.lease(config.leaseSeconds());
    }

    OutboxNotificationService(Path outboxDir, CoreSettings settings, Clock clock) throws IOException {
        this(journalStore(outboxDir, clock), settings, null, true);
    }

    OutboxNotificationService(OutboxStore store, CoreSettings settings) {
        this(store, settings, null, true);
    }

    private OutboxNotificationService(OutboxStore store, CoreSettings settings, BundleContext context,
            boolean configured) {
        this.settings = settings;
        this.stores = new StoreSwitch(store);
        this.outbox = stores;
        this.context = context;
        Clock clock = store.clock();
        MailClassLoader mail = new MailClassLoader(() -> this.mailStreams);
        this.renderer = new MessageRenderer();
        this.gate = context == null ? StartupGate.alwaysOpen()
                : StartupGate.afterActivation(configured, clock.instant(), () -> StartupGate.configurationExpected(context));
        this.dispatcher = new OutboxDispatcher(outbox, registry, () -> this.settings, mail, this::postEvent, gate);
        dispatcher.start();
        this.registration = context == null ? null : context.registerService(NotificationService.class, this, null);
    }

    /** Reads and checks the configuration, the keys of the shared store included, before anything starts. */
    private static CoreSettings checked(CoreConfiguration config) {
        PostgresSettings.lease(config.leaseSeconds());
        return CoreSettings.from(config);
    }

    /** The default store: the journal in a local folder. */
    static OutboxStore journalStore(Path outboxDir, Clock clock) throws IOException {
        return new Outbox(outboxDir, clock, COMPACT_ABOVE);
    }

    static Path dataDir(BundleContext context) {
        String dir = context.getProperty("notification.data.dir");
        return Path.of(dir == null || dir.isBlank() ? "var" : dir);
    }

    @Modified
    void modified(CoreConfiguration config) {
        settings = checked(config);
        node = NodeName.of(config.node(), context);
        lease = PostgresSettings.lease(config.leaseSeconds());
        gate.configured();
        dispatcher.wake();
    }

    @Deactivate
    void deactivate() {
        stopping = true; // the pool's unbind that follows is a stop, not a switch: nothing moves
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
        dispatcher.stop();
        outbox.close();
    }

    /**
     * Takes the shared PostgreSQL outbox (published by {@code notification.store.postgresql} while the configuration
     * says {@code store=postgresql}) for new notifications; the journal drains.
     *
     * @param pool the connection pool
     * @param props its service properties: the database's URL without credentials and the user
     * @throws IOException if the local spool folder cannot be created
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(notification.store=postgresql)")
    synchronized void bindDataSource(DataSource pool, Map<String, Object> props) throws IOException {
        PostgresSettings s = new PostgresSettings(node, String.valueOf(props.get("jdbc.target")),
                String.valueOf(props.get("jdbc.user")), lease, PostgresSettings.POLL);
        stores.attach(new PostgresOutbox(pool, s, outbox.clock(), dataDir(context).resolve("outbox-spool")));
        sharedPool = pool;
        sharedSettings = s;
    }

    /**
     * Goes back to the journal for new notifications. When the administrator switched to {@code store=journal}
     * (rather than the framework stopping), what waits in the database moves into the journal unless other nodes
     * send it ({@link PostgresHandover}); this runs while the pool is being unregistered, before it is closed.
     *
     * @param pool the pool going away
     */
    synchronized void unbindDataSource(DataSource pool) {
        if (pool == sharedPool) {
            if (!stopping && ChosenStore.journal(context)) {
                PostgresHandover handover = new PostgresHandover(pool, sharedSettings, PostgresHandover.TIME_LIMIT);
                stores.detach(DRAIN_TIMEOUT, handover::moveInto);
            } else {
                stores.detach();
            }
            sharedPool = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTransport(MailTransport transport, Map<String, Object> props) {
        NameClaim claim;
        try {
            claim = NameClaim.of(props);
        } catch (IllegalArgumentException e) {
            LOG.warn("Transport service {} not used: {}", props.get(Constants.SERVICE_ID), e.getMessage());
            return;
        }
        String type = props.get(MailTransport.TYPE) == null ? null : props.get(MailTransport.TYPE).toString();
        int ranking = props.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
        long id = props.get(Constants.SERVICE_ID) instanceof Long l ? l : Long.MAX_VALUE;
        if (claim.configuration() == null) {
            registry.bind(claim.name(), type, ranking, id, transport);
        } else {
            String refusal = registry.bindUnique(claim, type, ranking, id, transport);
            if (refusal != null) {
                LOG.warn(refusal);
                return;
            }
        }
        dispatcher.wake();
    }

    void updatedTransport(MailTransport transport, Map<String, Object> props) {
        // a renamed transport is known under its new name at once; its deliveries in flight finish normally
        registry.unbind(transport);
        bindTransport(transport, props);
    }

    void unbindTransport(MailTransport transport, Map<String, Object> props) {
        BoundTransport old = registry.unbind(transport);
        if (old != null) {
            dispatcher.drain(old, DRAIN_TIMEOUT);
        }
    }

    /** Registers a transport directly; for tests outside a framework. */
    void bind(String name, MailTransport transport) {
        registry.bind(name, "test", 0, System.nanoTime(), transport);
        dispatcher.wake();
    }

    /** Unregisters a transport directly; for tests outside a framework. */
    void unbind(MailTransport transport) {
        unbindTransport(transport, Map.of());
    }

    @Override
    public Receipt submit(Notification notification) {
        CoreSettings s = settings;
        SizeLimit limit = sizeLimit(s);
        ValidNotification v = new NotificationValidator(s).validate(notification, limit);
        MessageIds.Pair pair = ids.next();
        String id = pair.id();
        String messageId = pair.messageId();
        Instant now = outbox.clock().instant();
        SpillBuffer body = outbox.newBody(id);
        try {
            renderer.render(v, messageId, now, body);
        } catch (IOException | RuntimeException e) {
            body.discard();
            throw new NotificationStoreException("the notification could not be rendered: " + e.getMessage(), e);
        }
        if (body.length() > s.maxMessageSize()) {
            body.discard();
            throw new InvalidNotificationException(notification.attachments().isEmpty() ? "textBody" : "attachments",
                    "the message is " + SizeLimit.megabytes(body.length()) + " MB once encoded, larger than the "
                            + SizeLimit.megabytes(s.maxMessageSize()) + " MB allowed for one notification"
                            + " (maxMessageSize)");
        }
        if (limit != null && body.length() > limit.bytes()) {
            body.discard();
            throw new InvalidNotificationException(notification.attachments().isEmpty() ? "textBody" : "attachments",
                    "the message is " + SizeLimit.megabytes(body.length()) + " MB once encoded, larger than the "
                            + SizeLimit.megabytes(limit.bytes()) + " MB limit of transport '" + limit.transport() + "'");
        }
        StoredEntry e = new StoredEntry(id, messageId, notification.reference(), notification.subject(), v.envelope(),
                v.replyTo() == null ? null : notification.onBehalfOf().name(),
                v.replyTo() == null ? null : v.replyTo().getAddress(), now);
        outbox.submit(e, body);
        return new Receipt(id, messageId);
    }

    private SizeLimit sizeLimit(CoreSettings s) {
        BoundTransport active = registry.active(s.transports(), outbox.clock().instant());
        if (active == null) {
            return null;
        }
        TransportLimits limits = TransportRegistry.limitsOf(active);
        return limits.maxMessageSize() > 0 ? new SizeLimit(active.name, limits.maxMessageSize()) : null;
    }

    @Override
    public Optional<OutboxEntry> find(String id) {
        return id == null ? Optional.empty() : outbox.find(id);
    }

    @Override
    public List<OutboxEntry> list(Set<DeliveryState> states, int max) {
        return outbox.list(states, Math.max(0, max));
    }

    @Override
    public boolean retry(String id) {
        return id != null && outbox.retry(id);
    }

    @Override
    public boolean discard(String id) {
        return id != null && outbox.discard(id);
    }

    @Override
    public Map<DeliveryState, Long> counts() {
        return outbox.counts();
    }

    @Override
    public List<TransportStatus> transports() {
        return registry.status(settings.transports(), outbox.clock().instant());
    }

    @Override
    public OutboxStoreStatus outboxStore() {
        return outbox.status();
    }

    private void postEvent(String topic, Map<String, Object> properties) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(topic, properties));
        }
    }

    /** Sets the Event Admin; for tests outside a framework. */
    void eventAdmin(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    /** Stops the dispatcher and closes the outbox; for tests outside a framework. */
    void close() {
        deactivate();
    }
}
