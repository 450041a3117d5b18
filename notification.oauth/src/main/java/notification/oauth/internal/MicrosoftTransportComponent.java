package notification.oauth.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import notification.api.authorization.InteractiveAuthorization;
import notification.api.transport.MailTransport;
import notification.api.transport.TransportName;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One Microsoft 365 sending mailbox per factory configuration {@code notification.oauth.microsoft~NAME}: publishes a
 * {@link MailTransport} and (delegated mode) its {@link InteractiveAuthorization}, and refreshes the sign-in daily.
 * Right after activation and after every sign-in a connection check runs in the background, so the health says the
 * transport is proven only once it is.
 *
 * <p>The services are registered by hand rather than by DS so that only chosen properties are published: DS would
 * copy every configuration property, the client secret included, into the service properties.
 */
@Component(configurationPid = "notification.oauth.microsoft", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = MicrosoftTransportConfiguration.class, factory = true)
public final class MicrosoftTransportComponent {

    /** The value of {@link MailTransport#TYPE} for these transports. */
    static final String TYPE = "microsoft";
    private static final long FIRST_KEEP_ALIVE_MINUTES = 10;

    private final MicrosoftMailTransport transport;
    private final ServiceRegistration<MailTransport> transportRegistration;
    private final ServiceRegistration<InteractiveAuthorization> authorizationRegistration;
    private final ScheduledExecutorService keepAlive;

    /**
     * Creates the transport from its configuration and publishes it.
     *
     * @param context the bundle context (data directory property, service registration)
     * @param config the configuration
     * @param properties the raw component properties (for service.pid)
     */
    @Activate
    public MicrosoftTransportComponent(BundleContext context, MicrosoftTransportConfiguration config,
            Map<String, Object> properties) {
        String name = transportName(config.name(), String.valueOf(properties.get(Constants.SERVICE_PID)));
        refuseNameInUse(context, name, String.valueOf(properties.get(Constants.SERVICE_PID)));
        String dataDir = context.getProperty("notification.data.dir");
        Path tokens = Path.of(dataDir == null || dataDir.isBlank() ? "var" : dataDir, "tokens", name);
        try {
            FilePermissions.ownerOnlyDirectory(tokens.getParent());
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the token folder " + tokens.getParent() + " owner-only: "
                    + e.getMessage(), e);
        }
        MicrosoftSettings settings = new MicrosoftSettings(name, config);
        this.transport = new MicrosoftMailTransport(name, settings, tokens, Clock.systemUTC());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(MailTransport.NAME, name);
        props.put(MailTransport.TYPE, TYPE);
        props.put(TransportName.CONFIGURATION, String.valueOf(properties.get(Constants.SERVICE_PID)));
        if (properties.get("felix.fileinstall.filename") != null) {
            props.put(TransportName.CONFIGURATION_FILE, String.valueOf(properties.get("felix.fileinstall.filename")));
        }
        props.put("notification.transport.protocol", settings.protocol.name().toLowerCase());
        props.put("notification.transport.mailbox", settings.username);
        this.transportRegistration = context.registerService(MailTransport.class, transport, props);
        this.authorizationRegistration = settings.appOnly ? null
                : context.registerService(InteractiveAuthorization.class, new CheckAfterSignIn(transport), props);
        this.keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "notification.oauth keep-alive " + name);
            t.setDaemon(true);
            return t;
        });
        long period = settings.keepAlive.toMinutes();
        if (period > 0) {
            // First refresh soon after start, so a server restarted more often than the period still refreshes.
            keepAlive.scheduleAtFixedRate(transport::keepAlive, Math.min(FIRST_KEEP_ALIVE_MINUTES, period), period,
                    TimeUnit.MINUTES);
        }
        transport.checkInBackground();
    }

    /** Withdraws the services and closes the connections. */
    @Deactivate
    public void deactivate() {
        keepAlive.shutdownNow();
        if (authorizationRegistration != null) {
            authorizationRegistration.unregister();
        }
        transportRegistration.unregister();
        transport.close();
    }

    /**
     * Refuses a name that another configuration's transport already has (compared without case), before anything
     * touches the token folder named after it.
     */
    private static void refuseNameInUse(BundleContext context, String name, String pid) {
        try {
            for (ServiceReference<MailTransport> ref : context.getServiceReferences(MailTransport.class, null)) {
                Object other = ref.getProperty(MailTransport.NAME);
                Object otherPid = ref.getProperty(TransportName.CONFIGURATION);
                if (other != null && TransportName.of(name).matches(other.toString()) && otherPid != null
                        && !otherPid.equals(pid)) {
                    throw new IllegalStateException("Transport name \"" + name + "\" of configuration " + pid
                            + " is already used by configuration " + otherPid + " (file "
                            + ref.getProperty(TransportName.CONFIGURATION_FILE) + "): the first keeps it; rename one.");
                }
            }
        } catch (InvalidSyntaxException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Derives the transport's name: the configured {@code name}, else the factory configuration's name after "~";
     * validated, so that it is safe as the token folder's name.
     *
     * @param configured the {@code name} key
     * @param servicePid the configuration's PID
     * @return the name
     * @throws IllegalArgumentException when the name breaks the rule of {@link TransportName}
     */
    static String transportName(String configured, String servicePid) {
        return TransportName.fromConfiguration(configured, servicePid).value();
    }
}
