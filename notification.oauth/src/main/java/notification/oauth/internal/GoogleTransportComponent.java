package notification.oauth.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import javax.sql.DataSource;
import notification.api.authorization.InteractiveAuthorization;
import notification.api.transport.MailTransport;
import notification.api.transport.SendingBudget;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One Gmail / Google Workspace sending mailbox per factory configuration {@code notification.oauth.google~NAME}:
 * publishes a {@link MailTransport} and its {@link InteractiveAuthorization}, and refreshes the sign-in daily.
 * Right after activation and after every sign-in a connection check runs in the background, so the health says the
 * transport is proven only once it is.
 *
 * <p>The services are registered by hand rather than by DS so that only chosen properties are published (DS would
 * copy the client secret into the service properties).
 */
@Component(configurationPid = "notification.oauth.google", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = GoogleTransportConfiguration.class, factory = true)
public final class GoogleTransportComponent {

    /** The value of {@link MailTransport#TYPE} for these transports. */
    static final String TYPE = "google";

    private final GoogleMailTransport transport;
    private final PublishedTransport published;

    /** The mailbox's sending budget, shared by the nodes (absent in an older container: limits per node only). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SendingBudget budget;

    /**
     * Creates the transport from its configuration and publishes it.
     *
     * @param context the bundle context (data directory property, service registration)
     * @param config the configuration
     * @param properties the raw component properties (for service.pid)
     * @param outbox the outbox's PostgreSQL database when the outbox is shared there, else {@code null}; with
     *        {@code tokenKey} set the sign-in is kept there for every node (a change re-activates the transport)
     */
    @Activate
    public GoogleTransportComponent(BundleContext context, GoogleTransportConfiguration config,
            Map<String, Object> properties,
            @Reference(name = "outbox", target = "(notification.store=postgresql)",
                    cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            DataSource outbox) {
        TransportIdentity identity = TransportIdentity.of(context, config.name(), properties);
        String name = identity.name;
        Path tokens = identity.tokenFolder(context);
        GoogleSettings settings = new GoogleSettings(name, config);
        this.transport = new GoogleMailTransport(name, settings, tokens,
                SharedTokens.place(tokens, outbox, settings.tokenKey, name), Clock.systemUTC(), () -> this.budget);
        Dictionary<String, Object> props = new Hashtable<>();
        identity.publish(props, TYPE);
        props.put("notification.transport.protocol", settings.protocol.name().toLowerCase());
        props.put("notification.transport.mailbox", settings.username);
        props.put("notification.oauth.callback", "/google-oauth2-callback");
        this.published = new PublishedTransport(context, name, props, transport,
                new CheckAfterSignIn(transport.authorization(), transport::checkInBackground), transport::keepAlive,
                settings.keepAlive);
        transport.checkInBackground();
    }

    /** Withdraws the services. */
    @Deactivate
    public void deactivate() {
        published.withdraw();
        transport.close();
    }
}
