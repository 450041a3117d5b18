package notification.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import notification.api.transport.DeliveryResult;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportHealth.State;
import notification.api.transport.TransportLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import notification.testkit.StoredTestMessage;

/** A bad relay configuration is visible as NOT_CONFIGURED with a sentence naming the key; secrets never show. */
class RelayConfigurationTest {

    private static TestConfig valid() {
        return TestConfig.relay("smtp.example.com", 587).with("security", "starttls");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "host|' '|'host' is empty",
        "security|ssl|'security' is 'ssl'",
        "port|70000|'port' is 70000",
        "from|''|'from' is empty",
        "from|not an address|'from' is 'not an address'",
        "from|Jane <jane@example.com>|'fromName'",
        "maxConnections|0|'maxConnections' is 0",
        "connectTimeout|0|'connectTimeout' is 0 ms",
        "readTimeout|-1|'readTimeout' is -1 ms",
        "writeTimeout|0|a timeout is never infinite",
        "tlsProtocols|SSLv3|'tlsProtocols' names 'SSLv3'",
        "tlsProtocols|TLSv9|'tlsProtocols' names 'TLSv9'",
        "messagesPerMinute|-5|'messagesPerMinute' is -5",
        "trustStore|/nonexistent/ca.p12|'trustStore' names /nonexistent/ca.p12",
        "password|$[secret:smtp]|'password' was not replaced by its secret"})
    void badValueIsNamed(String key, String value, String expected) {
        Object typed = key.endsWith("Timeout") || key.equals("port") || key.startsWith("max")
                || key.startsWith("messages") ? (Object) Integer.valueOf(value) : value;
        TestConfig config = valid().with(key, typed);
        if (key.equals("password")) {
            config.with("username", "scanner");
        }
        try (SmtpRelayTransport transport = new SmtpRelayTransport("office", config.build())) {
            TransportHealth health = transport.health();
            assertEquals(State.NOT_CONFIGURED, health.state());
            assertTrue(health.message().contains(expected), health.message());
            assertTrue(health.message().startsWith("Relay 'office' is not configured: "), health.message());
            DeliveryResult result = transport.deliver(StoredTestMessage.to("jane@example.com"));
            assertEquals(DeliveryResult.Status.UNAVAILABLE, result.status());
            assertEquals(health.message(), result.reply());
            assertEquals(TransportLimits.SINGLE_CONNECTION, transport.limits());
        }
    }

    @Test
    void credentialsComeInPairs() {
        try (SmtpRelayTransport onlyPassword = new SmtpRelayTransport("a", valid().with("password", "x1").build());
                SmtpRelayTransport onlyUser = new SmtpRelayTransport("b", valid().with("username", "u").build())) {
            assertTrue(onlyPassword.health().message().contains("'username' is empty"));
            assertTrue(onlyUser.health().message().contains("'password' is empty"));
        }
    }

    @Test
    void validConfigurationGivesSenderLimitsAndNoSecretInHealth() {
        String secret = "Very-Secret-42";
        TestConfig config = valid().with("username", "scanner").with("password", secret).with("maxConnections", 3)
                .with("messagesPerMinute", 60).with("recipientsPerDay", 10_000).with("maxMessageSize", 10_000_000L);
        try (SmtpRelayTransport transport = new SmtpRelayTransport("office", config.build())) {
            assertEquals(new TransportLimits(3, 60, 10_000, 10_000_000L), transport.limits());
            assertEquals("scanner@example.com", transport.sender().address());
            assertEquals("Scanner", transport.sender().name());
            TransportHealth health = transport.health();
            assertEquals(State.OK, health.state(), health.message());
            assertTrue(health.message().contains("smtp.example.com:587 (STARTTLS)"), health.message());
            assertFalse(health.toString().contains(secret));
        }
    }

    @Test
    void portDefaultsToTheUsualOneForTheSecurity() {
        for (Map.Entry<String, String> e : Map.of("none", ":25 ", "starttls", ":587 ", "tls", ":465 ").entrySet()) {
            try (SmtpRelayTransport transport = new SmtpRelayTransport("office",
                    valid().with("port", 0).with("security", e.getKey()).build())) {
                assertTrue(transport.health().message().contains(e.getValue()), transport.health().message());
            }
        }
    }

    @Test
    void plainTextPasswordIsWarnedAbout() {
        try (SmtpRelayTransport transport = new SmtpRelayTransport("office", valid().with("security", "none")
                .with("username", "u").with("password", "p").build())) {
            assertEquals(1, transport.health().warnings().size());
            assertTrue(transport.health().warnings().get(0).contains("'security'"));
        }
    }

    @Test
    void tooLargeMessageIsRefusedBeforeConnecting() {
        try (SmtpRelayTransport transport = new SmtpRelayTransport("office",
                TestConfig.relay("127.0.0.1", SmtpSink.freePort()).with("maxMessageSize", 10L).build())) {
            DeliveryResult result = transport.deliver(StoredTestMessage.to("jane@example.com"));
            assertEquals(DeliveryResult.Status.PERMANENT, result.status());
            assertTrue(result.reply().contains("maxMessageSize"), result.reply());
        }
    }

    @Test
    void nameComesFromTheNameKeyElseFromTheFactoryPid() {
        Map<String, Object> props = Map.of("service.pid", "notification.relay~office");
        assertEquals("office", RelayTransportComponent.nameOf(valid().build(), props));
        assertEquals("backup", RelayTransportComponent.nameOf(valid().with("name", " backup ").build(), props));
    }
}
