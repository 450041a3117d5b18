package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Everything written into the page is encoded. */
class HtmlTest {

    @Test
    void encodesMarkupQuotesAndConsoleTemplateMarkers() {
        String encoded = Html.text("<script>alert('x')</script> \"${brand.name}\"");
        assertFalse(encoded.contains("<"), encoded);
        assertFalse(encoded.contains("'"), encoded);
        assertFalse(encoded.contains("\""), encoded);
        assertFalse(encoded.contains("${"), encoded);
        assertEquals("", Html.text(null));
    }

    @Test
    void templateEncodesFormValuesAndMarksSelectionsAndStoredSecrets() {
        PageTemplate template = new PageTemplate("/templates/notifications.html");
        String html = template.fill(Map.of("pluginRoot", "/system/console/notifications", "csrf", "tok\"en"),
                Map.of("status", "<p>raw</p>"),
                Map.of("oauth.username", "\"><script>x</script>", "oauth.cloud", "custom", "relay.security", "tls"),
                field -> field.equals("oauth.clientSecret"), flag -> false);
        assertTrue(html.contains("value=\"tok&#34;en\""), "csrf encoded");
        assertFalse(html.contains("<script>x</script>"), "form value encoded");
        assertTrue(html.contains("<p>raw</p>"), "raw fragments kept");
        assertTrue(html.contains("<option value=\"custom\" selected>"), html);
        assertTrue(html.contains("<option value=\"tls\" selected>"), html);
        assertTrue(html.contains("placeholder=\"stored; leave empty to keep it\""), "stored secret hint");
        assertFalse(html.contains("{{"), "every marker filled");
    }
}
