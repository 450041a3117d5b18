package notification.relay.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import notification.api.transport.MailTransport;
import notification.api.transport.TransportName;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One SMTP relay per factory configuration {@code notification.relay~NAME}, published as a {@link MailTransport}.
 *
 * <p>The transport is registered by this component rather than by DS so that its service properties are exactly
 * the name and type: DS would publish every configuration value, the password included. After activation and every
 * change a connection check (nothing sent) runs in the background, so the health says OK only once it is proven.
 */
@Component(configurationPid = RelayConfiguration.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = RelayConfiguration.class, factory = true)
public final class RelayTransportComponent {
    /** The value of {@link MailTransport#TYPE} for relays. */
    static final String TYPE = "relay";

    private final SmtpRelayTransport transport;
    private final ServiceRegistration<MailTransport> registration;

    /**
     * Creates the transport and registers it.
     *
     * @param context the bundle context
     * @param config the configuration
     * @param properties the configuration's properties (for its PID)
     */
    @Activate
    public RelayTransportComponent(BundleContext context, RelayConfiguration config, Map<String, Object> properties) {
        String name = nameOf(config, properties);
        this.transport = new SmtpRelayTransport(name, config);
        this.registration = context.registerService(MailTransport.class, transport, serviceProperties(name, properties));
        transport.checkInBackground();
    }

    /**
     * Applies a changed configuration without unregistering: later deliveries go through the new settings.
     *
     * @param config the configuration
     * @param properties the configuration's properties
     */
    @Modified
    void modified(RelayConfiguration config, Map<String, Object> properties) {
        String name = nameOf(config, properties);
        transport.reconfigure(name, config);
        registration.setProperties(serviceProperties(name, properties));
        transport.checkInBackground();
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
        transport.close();
    }

    /** The name: the {@code name} key, else the part of the PID after {@code ~}, validated by {@link TransportName}. */
    static String nameOf(RelayConfiguration config, Map<String, Object> properties) {
        return TransportName.fromConfiguration(config.name(), String.valueOf(properties.get("service.pid"))).value();
    }

    private static Dictionary<String, Object> serviceProperties(String name, Map<String, Object> configuration) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(TransportName.CONFIGURATION, String.valueOf(configuration.get("service.pid")));
        if (configuration.get("felix.fileinstall.filename") != null) {
            props.put(TransportName.CONFIGURATION_FILE, String.valueOf(configuration.get("felix.fileinstall.filename")));
        }
        props.put(MailTransport.NAME, name);
        props.put(MailTransport.TYPE, TYPE);
        props.put("service.description", "SMTP relay " + name);
        return props;
    }
}
