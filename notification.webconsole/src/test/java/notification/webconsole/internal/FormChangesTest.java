package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A submitted form changes only what it shows and what the administrator changed. */
class FormChangesTest {
    private static final TransportSchema RELAY = new TransportSchema(ServerOption.RELAY, "SMTP relay", List.of(
            field("host", TransportSchema.Kind.TEXT, ""),
            field("port", TransportSchema.Kind.INTEGER, "0"),
            new TransportSchema.Field("security", "Security", "", TransportSchema.Kind.TEXT,
                    List.of(new TransportSchema.Choice("none", "None"),
                            new TransportSchema.Choice("starttls", "STARTTLS")),
                    "starttls"),
            field("password", TransportSchema.Kind.PASSWORD, ""),
            field("maxConnections", TransportSchema.Kind.INTEGER, "4")));

    @Test
    void keysTheFormDoesNotShowAreKeptAndUnchangedValuesAreNotRewritten() {
        Map<String, Object> stored = Map.of("host", "smtp.example.com", "port", 587, "readTimeout", 5000,
                "maxConnections", 1, "name", "office");
        Map<String, String> form = Map.of("relay.host", "smtp2.example.com", "relay.port", "587",
                "relay.maxConnections", "1", "relay.security", "starttls");
        FormChanges changes = FormChanges.read(RELAY, ServerOption.RELAY_OPTION, form, stored, key -> Optional.empty());
        assertEquals(Map.of("host", "smtp2.example.com"), changes.changes(), "a default chosen for an absent key is"
                + " not written; an unchanged value is not rewritten");
        Map<String, Object> proposed = changes.proposed(stored);
        assertEquals(5000, proposed.get("readTimeout"), "hand-tuned key not on the form kept");
        assertEquals("office", proposed.get("name"), "the name is never changed");
        assertEquals(1, proposed.get("maxConnections"));
    }

    @Test
    void everyBadValueIsReportedAndAnEmptiedFieldGoesBackToItsDefault() {
        Map<String, Object> stored = Map.of("host", "smtp.example.com", "maxConnections", 2);
        Map<String, String> form = Map.of("relay.host", "h", "relay.port", "five", "relay.security", "ssl3",
                "relay.maxConnections", "");
        FormChanges changes = FormChanges.read(RELAY, ServerOption.RELAY_OPTION, form, stored, key -> Optional.empty());
        assertEquals(Set.of("port", "security"), changes.problems().keySet());
        assertTrue(changes.problems().get("port").contains("whole number"));
        assertEquals(Set.of("maxConnections"), changes.removals());
    }

    @Test
    void aReferenceTypedIntoAnOrdinaryFieldIsRefusedNamingTheFieldButAcceptedInAPasswordField() {
        Map<String, String> form = Map.of("relay.host", "smtp.$[env:DOMAIN]", "relay.password", "$[secret:relay]");
        FormChanges changes = FormChanges.read(RELAY, ServerOption.RELAY_OPTION, form, Map.of(),
                key -> Optional.empty());
        assertEquals(Set.of("host"), changes.problems().keySet());
        assertTrue(changes.problems().get("host").contains("only in password fields"), changes.problems().toString());
        assertEquals("$[secret:relay]", changes.changes().get("password"));
        assertFalse(changes.changes().containsKey("host"));
    }

    @Test
    void anEmptySecretKeepsTheStoredOneOrTheOneTypedIntoTheRefusedForm() {
        Map<String, Object> stored = new HashMap<>(Map.of("password", "$[secret:relay]"));
        FormChanges kept = FormChanges.read(RELAY, ServerOption.RELAY_OPTION, Map.of("relay.password", ""), stored,
                key -> Optional.empty());
        assertFalse(kept.changes().containsKey("password"));
        FormChanges retyped = FormChanges.read(RELAY, ServerOption.RELAY_OPTION, Map.of("relay.password", ""), stored,
                key -> Optional.of("typed-before"));
        assertEquals("typed-before", retyped.changes().get("password"));
        FormChanges typed = FormChanges.read(RELAY, ServerOption.RELAY_OPTION, Map.of("relay.password", "new"), stored,
                key -> Optional.empty());
        assertEquals(Map.of("password", "new"), typed.typedSecrets());
    }

    @Test
    void theUsGovChoiceImpliesAUsGovCloudAndGraphImpliesItsProtocol() {
        TransportSchema microsoft = new TransportSchema(ServerOption.MICROSOFT, "Microsoft 365", List.of(
                field("cloud", TransportSchema.Kind.TEXT, "global"),
                field("protocol", TransportSchema.Kind.TEXT, "smtp"),
                field("smtpHost", TransportSchema.Kind.TEXT, "")));
        Map<String, Object> stored = Map.of("cloud", "custom", "smtpHost", "smtp.custom.example");
        FormChanges usGov = FormChanges.read(microsoft, ServerOption.OUTLOOK_USGOV,
                Map.of("oauth-microsoft.cloud", "global", "oauth-microsoft.smtpHost", "smtp.custom.example"), stored,
                key -> Optional.empty());
        assertEquals(Map.of("cloud", "usgov-gcchigh"), usGov.changes());
        FormChanges graph = FormChanges.read(microsoft, ServerOption.GRAPH,
                Map.of("oauth-microsoft.cloud", "custom", "oauth-microsoft.smtpHost", "smtp.custom.example"), stored,
                key -> Optional.empty());
        assertEquals(Map.of("protocol", "graph"), graph.changes(), "switching to Graph keeps the custom SMTP host");
    }

    @Test
    void theProposedRedirectUriIsLocalhostOnTheBrowsersPortUnlessTheBrowserUsesHttps() {
        assertEquals("http://localhost:9191/azure-oauth2-callback",
                NotificationsPage.proposedRedirectUri("http://127.0.0.1:9191"));
        assertEquals("http://localhost:9191/azure-oauth2-callback",
                NotificationsPage.proposedRedirectUri("http://printserver.example.com:9191"));
        assertEquals("https://printserver.example.com:9192/azure-oauth2-callback",
                NotificationsPage.proposedRedirectUri("https://printserver.example.com:9192"));
    }

    private static TransportSchema.Field field(String key, TransportSchema.Kind kind, String defaultValue) {
        return new TransportSchema.Field(key, key, "", kind, List.of(), defaultValue);
    }
}
