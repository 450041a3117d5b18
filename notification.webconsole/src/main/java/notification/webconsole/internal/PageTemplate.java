package notification.webconsole.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the page template from the bundle's resources. Markers: {@code {{name}}} (encoded value) and
 * {@code {{raw:name}}} (HTML already encoded by its renderer).
 */
final class PageTemplate {
    private static final Pattern MARKER = Pattern.compile("\\{\\{(?:(raw):)?([A-Za-z0-9._-]+)}}");

    private final String template;

    PageTemplate(String resource) {
        try (InputStream in = PageTemplate.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fills the template.
     *
     * @param values plain values, encoded here
     * @param raw ready HTML fragments
     * @return the HTML
     */
    String fill(Map<String, String> values, Map<String, String> raw) {
        Matcher m = MARKER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 4096);
        while (m.find()) {
            String replacement = m.group(1) == null ? Html.text(values.get(m.group(2)))
                    : raw.getOrDefault(m.group(2), "");
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
