package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedHostsTest {

    private final AllowedHosts hosts = new AllowedHosts(List.of("Print.Example.org", " proxy.example.net "));

    @Test
    void localhostLoopbackAndThisMachineAreAllowed() throws Exception {
        assertTrue(hosts.allows("localhost"));
        assertTrue(hosts.allows("127.0.0.1"));
        assertTrue(hosts.allows("127.1.2.3"));
        assertTrue(hosts.allows("[::1]"));
        assertTrue(hosts.allows(InetAddress.getLocalHost().getHostName()));
    }

    @Test
    void configuredNamesAreAllowedWithoutRegardToCase() {
        assertTrue(hosts.allows("print.example.org"));
        assertTrue(hosts.allows("PROXY.example.net."));
    }

    @Test
    void anyOtherNameIsRefusedWithoutLookingItUp() {
        assertFalse(hosts.allows("evil.example"));
        assertFalse(hosts.allows("localhost.evil.example"));
        assertFalse(hosts.allows("print.example.org.evil.example"));
        assertFalse(hosts.allows(""));
        assertFalse(hosts.allows(null));
    }
}
