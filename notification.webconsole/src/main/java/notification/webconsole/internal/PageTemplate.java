package notification.webconsole.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the page template from the bundle's resources. Markers: {@code {{name}}} (encoded value),
 * {@code {{raw:name}}} (HTML already encoded by its renderer), {@code {{v:field}}} (encoded form value),
 * {@code {{sel:field=value}}} (" selected" when the field has that value), {@code {{secret:field}}} (a placeholder
 * saying whether a secret is stored) and {@code {{open:name}}} (" open" when the flag is set).
 */
final class PageTemplate {
    private static final Pattern MARKER = Pattern.compile("\\{\\{(?:([a-z]+):)?([A-Za-z0-9.=_-]+)}}");

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
     * @param form form field values, encoded here
     * @param secretStored tells whether a secret field has a stored value
     * @param flags names of set flags
     * @return the HTML
     */
    String fill(Map<String, String> values, Map<String, String> raw, Map<String, String> form,
            Predicate<String> secretStored, Predicate<String> flags) {
        Matcher m = MARKER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 4096);
        while (m.find()) {
            String kind = m.group(1);
            String name = m.group(2);
            String replacement;
            if (kind == null) {
                replacement = Html.text(values.get(name));
            } else {
                replacement = switch (kind) {
                    case "raw" -> raw.getOrDefault(name, "");
                    case "v" -> Html.text(form.get(name));
                    case "sel" -> {
                        int eq = name.indexOf('=');
                        yield name.substring(eq + 1).equals(form.get(name.substring(0, eq))) ? " selected" : "";
                    }
                    case "secret" -> secretStored.test(name) ? "stored; leave empty to keep it" : "";
                    case "open" -> flags.test(name) ? "open" : "";
                    default -> throw new IllegalStateException("unknown marker " + m.group());
                };
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
