package notification.oauth.internal;

import java.time.Duration;
import java.util.Dictionary;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import notification.api.authorization.InteractiveAuthorization;
import notification.api.transport.MailTransport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * An OAuth transport's services as its component publishes them (sign-in first, then the transport), with the
 * periodic sign-in refresh, until withdrawn.
 */
final class PublishedTransport {
    /** The first refresh comes this soon after start, so a server restarted more often than the period refreshes. */
    private static final long FIRST_REFRESH_MINUTES = 10;

    private final ServiceRegistration<InteractiveAuthorization> signInRegistration;
    private final ServiceRegistration<MailTransport> transportRegistration;
    private final ScheduledExecutorService refresher;

    /**
     * Publishes the services and starts the refresh.
     *
     * @param context the bundle context
     * @param name the transport name (for the refresh thread's name)
     * @param props the service properties of both services
     * @param transport the transport
     * @param signIn its interactive sign-in, or {@code null} when it needs none
     * @param refresh refreshes the sign-in
     * @param refreshPeriod how often; zero for never
     */
    PublishedTransport(BundleContext context, String name, Dictionary<String, Object> props, MailTransport transport,
            InteractiveAuthorization signIn, Runnable refresh, Duration refreshPeriod) {
        // the sign-in first: whoever sees the transport appear (the page right after Apply) finds its Authorize
        this.signInRegistration = signIn == null ? null
                : context.registerService(InteractiveAuthorization.class, signIn, props);
        this.transportRegistration = context.registerService(MailTransport.class, transport, props);
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "notification.oauth keep-alive " + name);
            t.setDaemon(true);
            return t;
        });
        long period = refreshPeriod.toMinutes();
        if (period > 0) {
            refresher.scheduleAtFixedRate(refresh, Math.min(FIRST_REFRESH_MINUTES, period), period, TimeUnit.MINUTES);
        }
    }

    /** Stops the refresh and withdraws both services. */
    void withdraw() {
        refresher.shutdownNow();
        if (signInRegistration != null) {
            signInRegistration.unregister();
        }
        transportRegistration.unregister();
    }
}
