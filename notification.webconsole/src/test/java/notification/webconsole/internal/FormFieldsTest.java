package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Checks of the settings form: each refused value names its field. */
class FormFieldsTest {

    @Test
    void refusalsNameTheFieldAndTheProblem() {
        Map<String, String> form = Map.of("relay.port", "70000", "relay.from", "printer at example.com",
                "oauth.authorityUrl", "ftp://idp.example", "relay.security", "ssl3");
        assertEquals("Host: is required", assertThrows(SettingsException.class,
                () -> FormFields.required(form, "relay.host", "Host")).getMessage());
        assertEquals("Port: \"70000\" is not a port number (1 to 65535)", assertThrows(SettingsException.class,
                () -> FormFields.port(form, "relay.port", "Port")).getMessage());
        assertEquals("From address: \"printer at example.com\" is not an e-mail address such as scanner@example.com",
                assertThrows(SettingsException.class,
                        () -> FormFields.mailbox(form, "relay.from", "From address")).getMessage());
        assertEquals("Authority URL: \"ftp://idp.example\" is not an http or https address",
                assertThrows(SettingsException.class,
                        () -> FormFields.url(form, "oauth.authorityUrl", "Authority URL", true)).getMessage());
        assertThrows(SettingsException.class,
                () -> FormFields.oneOf(form, "relay.security", "Security", Set.of("none", "tls"), "tls"));
    }

    @Test
    void acceptsGoodValuesAndDefaults() throws Exception {
        Map<String, String> form = Map.of("relay.port", " 587 ", "relay.from", "printer@example.com",
                "oauth.authorityUrl", "https://login.example.com/tenant/");
        assertEquals(587, FormFields.port(form, "relay.port", "Port"));
        assertNull(FormFields.port(form, "oauth.smtpPort", "SMTP port"));
        assertEquals("printer@example.com", FormFields.mailbox(form, "relay.from", "From address"));
        assertEquals("https://login.example.com/tenant/",
                FormFields.url(form, "oauth.authorityUrl", "Authority URL", true));
        assertEquals("starttls", FormFields.oneOf(form, "relay.security", "Security", Set.of("starttls"), "starttls"));
    }

    @Test
    void anEmptySecretFieldKeepsTheStoredSecret() throws Exception {
        Hashtable<String, Object> stored = new Hashtable<>(Map.of("clientSecret", "kept-value"));
        assertEquals("kept-value",
                FormFields.secret(Map.of("oauth.clientSecret", ""), stored, "oauth.clientSecret", "Client Secret", true));
        assertEquals("new-value", FormFields.secret(Map.of("oauth.clientSecret", "new-value"), stored,
                "oauth.clientSecret", "Client Secret", true));
        assertEquals("Client Secret: is required", assertThrows(SettingsException.class,
                () -> FormFields.secret(Map.of(), null, "oauth.clientSecret", "Client Secret", true)).getMessage());
        assertNull(FormFields.secret(Map.of(), null, "relay.password", "Password", false));
    }
}
