package notification.itest.console;

import notification.api.Person;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/** A test-only transport kind (factory PID notification.itest.probe) that declares its settings in metatype. */
@Component(service = MailTransport.class, configurationPid = ProbeTransport.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ProbeTransportConfiguration.class, factory = true)
public final class ProbeTransport implements MailTransport {
    /** The probe's factory PID. */
    static final String FACTORY_PID = "notification.itest.probe";

    private final String flavour;

    /**
     * Creates the probe.
     *
     * @param config its settings
     */
    @Activate
    public ProbeTransport(ProbeTransportConfiguration config) {
        this.flavour = config.flavour();
    }

    @Override
    public Person sender() {
        return new Person("Probe", "probe@example.com");
    }

    @Override
    public DeliveryResult deliver(OutgoingMessage message) {
        return DeliveryResult.sent("250 probed");
    }

    @Override
    public TransportHealth health() {
        return TransportHealth.ok("Probe ready, " + flavour);
    }

    @Override
    public TransportLimits limits() {
        return TransportLimits.SINGLE_CONNECTION;
    }
}
