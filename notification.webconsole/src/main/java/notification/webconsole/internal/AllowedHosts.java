package notification.webconsole.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The host names a request may be addressed to: localhost, loopback, this machine's addresses and names, and those
 * configured. Anything else is what a DNS-rebinding page would send, and is refused.
 */
final class AllowedHosts {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<String> configured;
    private volatile Set<String> machine;

    AllowedHosts(Collection<String> configured) {
        Set<String> names = new HashSet<>();
        for (String c : configured) {
            if (c != null && !c.isBlank()) {
                names.add(normalize(c));
            }
        }
        this.configured = Set.copyOf(names);
        this.machine = machineNamesAndAddresses();
    }

    /**
     * Tells whether a request addressed to a host may be answered.
     *
     * @param host the host name or address the request was sent to, without port
     * @return whether it is allowed
     */
    boolean allows(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = normalize(host);
        return h.equals("localhost") || configured.contains(h) || machine.contains(h) || isLoopbackLiteral(h);
    }

    /** Looks at this machine's interfaces and names again (an address given by DHCP may have changed). */
    void refresh() {
        machine = machineNamesAndAddresses();
    }

    static String normalize(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        int scope = h.indexOf('%');
        if (scope >= 0) {
            h = h.substring(0, scope);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** Whether the host is a literal loopback address (never a name: no name is looked up here). */
    private static boolean isLoopbackLiteral(String h) {
        if (!IPV4.matcher(h).matches() && h.indexOf(':') < 0) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Set<String> machineNamesAndAddresses() {
        Set<String> found = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    found.add(normalize(a.getHostAddress()));
                }
            }
        } catch (SocketException | RuntimeException e) {
            // no interfaces to add
        }
        try {
            InetAddress local = InetAddress.getLocalHost();
            for (String name : new String[] {local.getHostName(), local.getCanonicalHostName()}) {
                found.add(normalize(name));
                if (name.indexOf('.') > 0) {
                    found.add(normalize(name.substring(0, name.indexOf('.'))));
                }
            }
            found.add(normalize(local.getHostAddress()));
        } catch (UnknownHostException e) {
            // the machine's own name does not resolve; its addresses are in already
        }
        return Set.copyOf(found);
    }
}
