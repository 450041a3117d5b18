package notification.webconsole.internal;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs before the console and the OAuth callback (every whiteboard context): answers 421 to a request addressed to a
 * host name that is not this machine's or configured (DNS rebinding), and 403 to a request from another machine while
 * the console still accepts the default password. Nothing behind it runs for a refused request.
 */
@Component(service = Filter.class, configurationPid = ConsoleGuard.PID, property = {
        "osgi.http.whiteboard.filter.pattern=/*",
        "osgi.http.whiteboard.filter.name=notification console guard",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=*)",
        "service.ranking:Integer=1000"})
@Designate(ocd = ConsoleGuardConfiguration.class)
public final class ConsoleGuard implements Filter {
    /** The configuration PID. */
    static final String PID = "notification.webconsole";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleGuard.class);
    private static final int MISDIRECTED_REQUEST = 421;

    private final ConsoleCredentials credentials;
    private final RefusalSummary refusals = new RefusalSummary(LOG::warn, "Console guard", Clock.systemUTC());
    private volatile AllowedHosts hosts;
    private volatile Instant lastRefresh = Instant.EPOCH;

    /**
     * Creates the guard.
     *
     * @param configurationAdmin where the console's password is configured
     * @param context the bundle context
     * @param config the allowed host names
     */
    @Activate
    public ConsoleGuard(@Reference ConfigurationAdmin configurationAdmin, BundleContext context,
            ConsoleGuardConfiguration config) {
        this.credentials = new ConsoleCredentials(configurationAdmin, context);
        modified(config);
    }

    @Modified
    void modified(ConsoleGuardConfiguration config) {
        hosts = new AllowedHosts(List.of(config.allowedHosts()));
    }

    @Deactivate
    void deactivate() {
        refusals.flush();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String host = request.getServerName();
        if (!allowedHost(host)) {
            refusals.record("addressed to a host name that is not allowed", request.getRemoteAddr());
            refuse(response, MISDIRECTED_REQUEST, "This server does not answer to the host name it was addressed "
                    + "with. If browsers reach it under that name, add the name to allowedHosts in conf/" + PID
                    + ".cfg.");
            return;
        }
        if (!fromThisMachine(request) && credentials.usesDefaultPassword()) {
            refusals.record("from another machine while the default password is in effect", request.getRemoteAddr());
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "The console still accepts the default password "
                    + "admin, so it answers only on this machine until the password is changed. "
                    + ConsoleCredentials.HOW_TO_CHANGE);
            return;
        }
        chain.doFilter(req, res);
    }

    private boolean allowedHost(String host) {
        AllowedHosts allowed = hosts;
        if (allowed.allows(host)) {
            return true;
        }
        Instant now = Instant.now();
        if (now.isAfter(lastRefresh.plus(RefusalSummary.PERIOD))) {
            lastRefresh = now;
            allowed.refresh();
            return allowed.allows(host);
        }
        return false;
    }

    /** Whether the request came over loopback, not relayed by a proxy. */
    static boolean fromThisMachine(HttpServletRequest request) {
        if (request.getHeader("Forwarded") != null || request.getHeader("X-Forwarded-For") != null
                || request.getHeader("X-Real-IP") != null) {
            return false;
        }
        String remote = request.getRemoteAddr();
        if (remote == null || !(remote.indexOf(':') >= 0 || remote.matches("[0-9.]+"))) {
            return false;
        }
        try {
            return InetAddress.getByName(remote).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
