package notification.webconsole.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prints the Notifications page's address at start-up, and warns loudly while the console keeps admin/admin. */
@Component(immediate = true, service = {})
public final class StartupBanner {
    private static final Logger LOG = LoggerFactory.getLogger(StartupBanner.class);
    /** Felix FileInstall reads conf/ on its own thread: look at the credentials once it has had time to. */
    private static final long CREDENTIALS_CHECK_DELAY_MS = 3000;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "notification console start-up banner");
        t.setDaemon(true);
        return t;
    });

    /**
     * Prints the address, then checks the console credentials shortly after.
     *
     * @param configurationAdmin where the console's credentials are configured
     * @param context the bundle context, for the HTTP port framework properties
     */
    @Activate
    public StartupBanner(@Reference ConfigurationAdmin configurationAdmin, BundleContext context) {
        ConsoleCredentials credentials = new ConsoleCredentials(configurationAdmin, context);
        String page = credentials.consoleRoot() + "/notifications";
        StringBuilder banner = new StringBuilder("Notifications console: http://localhost:")
                .append(property(context, "org.osgi.service.http.port", "8080")).append(page);
        if (Boolean.parseBoolean(context.getProperty("org.apache.felix.https.enable"))) {
            banner.append("  and https://localhost:")
                    .append(property(context, "org.osgi.service.http.port.secure", "8443")).append(page);
        }
        System.out.println(banner);
        LOG.info(banner.toString());
        timer.schedule(() -> warnAboutDefaultPassword(credentials), CREDENTIALS_CHECK_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    /** Stops a pending check. */
    @Deactivate
    void stop() {
        timer.shutdownNow();
    }

    private static void warnAboutDefaultPassword(ConsoleCredentials credentials) {
        if (credentials.usesDefaultPassword()) {
            String warning = "The web console still accepts Felix's default credentials admin/admin, so it answers "
                    + "only requests made on this machine (loopback) until the password is changed. "
                    + ConsoleCredentials.HOW_TO_CHANGE;
            String line = "*".repeat(100);
            System.out.println(line + "\n* WARNING: " + warning + "\n" + line);
            LOG.warn(warning);
        }
    }

    private static String property(BundleContext context, String key, String fallback) {
        String value = context.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
