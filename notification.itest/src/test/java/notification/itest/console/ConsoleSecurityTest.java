package notification.itest.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import notification.itest.app.RunningContainer;
import notification.itest.webconsole.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console against the exported container as an attacker would try it: a DNS-rebinding page (a foreign Host with
 * a matching Origin), and the default password from another machine, whatever form it is written in.
 */
class ConsoleSecurityTest {
    private static final Pattern COOKIE = Pattern.compile("(?i)Set-Cookie: (notification_console=[^;\\r\\n]+)");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    /** What a reverse proxy on this machine adds: the request is relayed from another machine. */
    private static final String FORWARDED = "X-Forwarded-For: 192.0.2.7\r\n";

    @TempDir
    Path home;

    @Test
    void aDnsRebindingRequestIsRefusedAndNothingChanges() throws Exception {
        try (RunningContainer container = RunningContainer.start(home)) {
            container.awaitReady(ConsoleSession.PAGE, Duration.ofSeconds(60));
            String self = "127.0.0.1:" + container.port();
            RawHttp.Response page = get(container, self, "admin", "admin", "");
            Matcher cookie = COOKIE.matcher(page.text());
            Matcher csrf = CSRF.matcher(page.text());
            assertTrue(cookie.find() && csrf.find(), page.text());
            String form = ConsoleSession.encode(ConsoleHttpTest.relayForm("attacker.example")) + "&csrf=" + csrf.group(1);

            String evil = "evil.example:" + container.port();
            RawHttp.Response rebound = post(container, evil, cookie.group(1), form);
            assertEquals(421, rebound.status(), rebound.text());
            assertFalse(Files.exists(home.resolve("conf/notification.relay~console.cfg")), "nothing was saved");
            assertTrue(get(container, self, "admin", "admin", "").text().contains("<option value=\"pickup\" selected>"),
                    "the pickup is still the current choice");

            RawHttp.Response passed = post(container, self, cookie.group(1), form);
            assertEquals(303, passed.status(), "the very same request addressed to this machine passes: the host "
                    + "name alone was refused. " + passed.text());

            RunningContainer.writeConfig(home, "notification.webconsole.cfg",
                    Map.of("allowedHosts", "print.example.org"));
            assertEquals(200, awaitStatus(container, "print.example.org:" + container.port(), 200),
                    "a name listed in allowedHosts (a reverse proxy's) is answered");
        }
    }

    @Test
    void theDefaultPasswordIsAnsweredOnlyOnThisMachineWhateverFormItIsWrittenIn() throws Exception {
        try (RunningContainer container = RunningContainer.start(home, "-Dorg.apache.felix.http.host=0.0.0.0")) {
            container.awaitReady(ConsoleSession.PAGE, Duration.ofSeconds(60));
            String self = "127.0.0.1:" + container.port();
            assertEquals(200, get(container, self, "admin", "admin", "").status(), "on this machine");
            RawHttp.Response proxied = get(container, self, "admin", "admin", FORWARDED);
            assertEquals(403, proxied.status(), proxied.text());
            assertTrue(proxied.text().contains("answers only on this machine"), proxied.text());
            Optional<InetAddress> lan = lanAddress();
            if (lan.isPresent()) {
                RawHttp.Response remote = RawHttp.send(lan.get(), lan.get(), container.port(), "GET "
                        + ConsoleSession.PAGE + " HTTP/1.1\r\nHost: " + self + "\r\nAuthorization: "
                        + RunningContainer.basicAuth("admin", "admin") + "\r\n", "");
                assertEquals(403, remote.status(), "from " + lan.get() + ": " + remote.text());
            }

            // As many administrators would "set" it: the default password written into the console's file.
            RunningContainer.writeConfig(home, "org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg",
                    Map.of("username", "printadmin", "password", "admin"));
            awaitLogin(container, "printadmin", "admin");
            assertEquals(403, get(container, self, "printadmin", "admin", FORWARDED).status(),
                    "admin written in clear is still the default");
            assertTrue(get(container, self, "printadmin", "admin", "").text().contains("id=\"default-credentials\""),
                    "the page still warns");

            Files.createDirectories(home.resolve("conf/secrets"));
            Files.writeString(home.resolve("conf/secrets/console-password"), "admin");
            RunningContainer.writeConfig(home, "org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg",
                    Map.of("username", "printadmin2", "password", "$[secret:console-password]"));
            awaitLogin(container, "printadmin2", "admin");
            assertEquals(403, get(container, self, "printadmin2", "admin", FORWARDED).status(),
                    "admin behind a secret reference is still the default");

            Files.writeString(home.resolve("conf/secrets/console-password"), "Corr3ct-Horse");
            RunningContainer.writeConfig(home, "org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg",
                    Map.of("username", "printadmin3", "password", "$[secret:console-password]"));
            awaitLogin(container, "printadmin3", "Corr3ct-Horse");
            assertEquals(200, get(container, self, "printadmin3", "Corr3ct-Horse", FORWARDED).status(),
                    "a changed password is answered from other machines");
            assertFalse(get(container, self, "printadmin3", "Corr3ct-Horse", "").text()
                    .contains("id=\"default-credentials\""), "no warning once changed");
            assertTrue(container.log().contains("still accepts Felix's default credentials admin/admin, so it answers "
                    + "only requests made on this machine"), "the start-up warning says what happens");
            assertFalse(container.log().contains("Corr3ct-Horse"));
        }
    }

    private static void awaitLogin(RunningContainer c, String user, String password) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status = -1;
        while (status != 200 && System.nanoTime() < deadline) {
            status = get(c, "127.0.0.1:" + c.port(), user, password, "").status();
            Thread.sleep(300);
        }
        assertEquals(200, status, user + " not accepted on this machine; log:\n" + c.log());
    }

    private static RawHttp.Response get(RunningContainer c, String host, String user, String password, String extra)
            throws Exception {
        return RawHttp.send(null, c.port(), "GET " + ConsoleSession.PAGE + " HTTP/1.1\r\nHost: " + host
                + "\r\nAuthorization: " + RunningContainer.basicAuth(user, password) + "\r\n" + extra, "");
    }

    private static RawHttp.Response post(RunningContainer c, String host, String cookie, String form)
            throws Exception {
        return RawHttp.send(null, c.port(), "POST " + ConsoleSession.PAGE + "/apply HTTP/1.1\r\nHost: " + host
                + "\r\nOrigin: http://" + host + "\r\nCookie: " + cookie + "\r\nAuthorization: "
                + RunningContainer.basicAuth("admin", "admin")
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\n", form);
    }

    private static int awaitStatus(RunningContainer c, String host, int wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status = -1;
        while (status != wanted && System.nanoTime() < deadline) {
            status = get(c, host, "admin", "admin", "").status();
            Thread.sleep(300);
        }
        return status;
    }

    /** This machine's first non-loopback IPv4 address, to connect as another machine would. */
    private static Optional<InetAddress> lanAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return Optional.of(a);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
