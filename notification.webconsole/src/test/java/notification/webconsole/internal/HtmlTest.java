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
    void templateEncodesValuesAndKeepsRawFragments() {
        PageTemplate template = new PageTemplate("/templates/notifications.html");
        String html = template.fill(Map.of("pluginRoot", "/system/console/notifications", "csrf", "tok\"en"),
                Map.of("status", "<p>raw</p>"));
        assertTrue(html.contains("value=\"tok&#34;en\""), "csrf encoded");
        assertTrue(html.contains("<p>raw</p>"), "raw fragments kept");
        assertFalse(html.contains("{{"), "every marker filled");
    }
}
