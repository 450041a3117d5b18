package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A transport's fields rendered from its schema: encoded, secrets never written, problems beside their fields. */
class SettingsFormTest {
    private static final TransportSchema RELAY = new TransportSchema(ServerOption.RELAY, "SMTP relay", List.of(
            new TransportSchema.Field("host", "Host", "The <server>", TransportSchema.Kind.TEXT, List.of(), ""),
            new TransportSchema.Field("password", "Password", "", TransportSchema.Kind.PASSWORD, List.of(), ""),
            new TransportSchema.Field("maxConnections", "Maximum connections", "", TransportSchema.Kind.INTEGER,
                    List.of(), "4")));

    @Test
    void storedValuesAreEncodedSecretsAreNeverWrittenAndExtraKeysGoUnderAdvanced() {
        TransportConfigurations.Stored stored = new TransportConfigurations.Stored("notification.relay~office",
                ServerOption.RELAY, "office", Map.of("host", "\"><script>x</script>", "password", "Pa55-word"));
        String html = new SettingsForm(Map.of(), Map.of(), "http://localhost:9191/azure-oauth2-callback")
                .fieldset(RELAY, List.of(ServerOption.RELAY_OPTION), stored, key -> false);
        assertFalse(html.contains("<script>x"), html);
        assertFalse(html.contains("Pa55-word"), "a stored secret is never written into the page");
        assertTrue(html.contains("placeholder=\"stored; leave empty to keep it\""), html);
        assertTrue(html.contains("The &lt;server&gt;"), "the description, encoded");
        assertTrue(html.contains("name=\"relay.pid\" value=\"notification.relay~office\""), html);
        assertTrue(html.indexOf("<summary>Advanced</summary>") < html.indexOf("id=\"relay-maxConnections\""),
                "a key the option does not list as basic is under Advanced");
        assertTrue(html.contains("placeholder=\"4\""), "its default as placeholder");
    }

    @Test
    void aProblemIsShownBesideItsFieldInTheLabelsWordsWithTheTypedValue() {
        String html = new SettingsForm(Map.of("relay.host", "typed.example"), Map.of("relay.host",
                "is required"), "").fieldset(RELAY, List.of(ServerOption.RELAY_OPTION), null, key -> true);
        assertTrue(html.contains("value=\"typed.example\""), html);
        assertTrue(html.contains("id=\"relay-host-problem\">Host is required</span>"), html);
        assertTrue(html.contains("placeholder=\"kept from your last attempt; leave empty to use it\""), html);
        assertTrue(html.contains("Apply creates this transport as <b>relay</b>."), html);
    }
}
