package notification.webconsole.internal;

import org.owasp.encoder.Encode;

/** Encodes values for HTML text and attributes, including the Web Console's own {@code ${...}} template markers. */
final class Html {

    private Html() {
    }

    /**
     * Encodes a value for HTML text or a quoted attribute. Besides the OWASP encoding, {@code $} becomes an entity so
     * the Web Console's template filter never expands a {@code ${name}} that came from data.
     *
     * @param value the value, may be {@code null}
     * @return the encoded value, empty for {@code null}
     */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        return Encode.forHtml(String.valueOf(value)).replace("$", "&#36;");
    }

    /**
     * Encodes a value for a URL query parameter inside an HTML attribute.
     *
     * @param value the value
     * @return the encoded value
     */
    static String queryParam(String value) {
        return text(Encode.forUriComponent(value == null ? "" : value));
    }
}
