package notification.webconsole.internal;

import java.lang.reflect.Array;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Renders one transport kind's fields from its schema: basic fields in the order the choice gives, every other key
 * under Advanced, each with its metatype label, description, options and default, and a problem beside it when an
 * Apply was refused. Secrets are never written into the page.
 */
final class SettingsForm {
    /** The console's own words for a field, beyond what the transport declares. */
    private static final Map<String, String> CONSOLE_HINTS = Map.of("redirectUri", "Microsoft accepts http only for "
            + "localhost: keep http://localhost:<port>/azure-oauth2-callback and open the console at localhost, or "
            + "use the HTTPS listener and its https address. Register it exactly so in the app registration "
            + "(platform Web).");

    private final Map<String, String> draft;
    private final Map<String, String> problems;
    private final String proposedRedirectUri;

    /**
     * Creates the renderer.
     *
     * @param draft values typed into a refused form, by field name (never secrets)
     * @param problems what is wrong, by field name
     * @param proposedRedirectUri the redirect URI to propose when none is stored
     */
    SettingsForm(Map<String, String> draft, Map<String, String> problems, String proposedRedirectUri) {
        this.draft = draft;
        this.problems = problems;
        this.proposedRedirectUri = proposedRedirectUri;
    }

    /**
     * Renders the fieldset of one transport kind.
     *
     * @param schema the transport's schema
     * @param options the page's choices that configure this kind
     * @param stored the configuration being edited, or {@code null} for a new one
     * @param secretTyped tells whether a secret field's value was typed before and is kept on the server
     * @return HTML
     */
    String fieldset(TransportSchema schema, List<ServerOption> options, TransportConfigurations.Stored stored,
            Predicate<String> secretTyped) {
        ServerOption first = options.get(0);
        String prefix = first.fieldPrefix();
        Set<String> implied = new HashSet<>();
        options.forEach(o -> implied.addAll(o.implied().keySet()));
        StringBuilder html = new StringBuilder("<fieldset id=\"").append(prefix).append("-fields\" class=\"nt-fields\""
                + " data-options=\"").append(Html.text(String.join(" ", options.stream().map(ServerOption::value)
                .toList()))).append("\"><legend>").append(Html.text(schema.name())).append("</legend>");
        html.append("<input type=\"hidden\" name=\"").append(prefix).append(".pid\" value=\"")
                .append(stored == null ? "" : Html.text(stored.pid())).append("\">");
        html.append("<p class=\"nt-editing\" id=\"").append(prefix).append("-editing\">").append(stored == null
                ? "Apply creates this transport as <b>" + Html.text(first.newName()) + "</b>."
                : "Transport <b>" + Html.text(stored.name()) + "</b> (configuration " + Html.text(stored.pid())
                        + "). Apply changes only the fields shown; every other setting is kept.").append("</p>");
        StringBuilder advanced = new StringBuilder();
        boolean openAdvanced = false;
        for (String key : first.basic()) {
            schema.field(key).filter(f -> !implied.contains(f.key()))
                    .ifPresent(f -> field(prefix, f, stored, secretTyped, html));
        }
        for (TransportSchema.Field f : schema.fields()) {
            if (first.basic().contains(f.key()) || implied.contains(f.key())) {
                continue;
            }
            field(prefix, f, stored, secretTyped, advanced);
            openAdvanced |= problems.containsKey(prefix + "." + f.key());
        }
        if (advanced.length() > 0) {
            html.append("<details id=\"").append(prefix).append("-advanced\"").append(openAdvanced ? " open" : "")
                    .append("><summary>Advanced</summary>").append(advanced).append("</details>");
        }
        return html.append("</fieldset>").toString();
    }

    private void field(String prefix, TransportSchema.Field f, TransportConfigurations.Stored stored,
            Predicate<String> secretTyped, StringBuilder html) {
        String name = prefix + "." + f.key();
        String id = prefix + "-" + f.key();
        String shownWhen = ServerOption.SHOWN_WHEN.get(f.key());
        html.append("<div class=\"nt-row\"").append(shownWhen == null ? "" : " data-shown-when=\""
                + Html.text(prefix + "-" + shownWhen) + "\"").append("><label for=\"").append(id).append("\">")
                .append(Html.text(f.label())).append("</label>");
        String value = f.secret() ? "" : value(name, f, stored);
        if (!f.options().isEmpty() || f.kind() == TransportSchema.Kind.BOOLEAN) {
            select(id, name, f, value.isEmpty() ? f.defaultValue() : value, html);
        } else {
            html.append("<input type=\"").append(f.secret() ? "password" : "text").append("\" id=\"").append(id)
                    .append("\" name=\"").append(name).append("\" value=\"").append(Html.text(value)).append('"');
            String placeholder = f.secret() ? secretPlaceholder(f, stored, secretTyped) : f.defaultValue();
            if (!placeholder.isEmpty()) {
                html.append(" placeholder=\"").append(Html.text(placeholder)).append('"');
            }
            html.append(f.secret() ? " autocomplete=\"new-password\">" : ">");
        }
        String problem = problems.get(name);
        if (problem != null) {
            html.append("<span class=\"nt-problem ui-state-error-text\" id=\"").append(id).append("-problem\">")
                    .append(Html.text(f.label() + " " + problem)).append("</span>");
        }
        String hint = CONSOLE_HINTS.getOrDefault(f.key(), f.description());
        if (!hint.isEmpty()) {
            html.append("<span class=\"nt-hint\">").append(Html.text(hint)).append("</span>");
        }
        html.append("</div>");
    }

    private String value(String name, TransportSchema.Field f, TransportConfigurations.Stored stored) {
        if (draft.containsKey(name)) {
            return draft.get(name);
        }
        Object v = stored == null ? null : stored.properties().get(f.key());
        if (v != null) {
            return text(v);
        }
        return f.key().equals("redirectUri") ? proposedRedirectUri : "";
    }

    private static String secretPlaceholder(TransportSchema.Field f, TransportConfigurations.Stored stored,
            Predicate<String> secretTyped) {
        if (secretTyped.test(f.key())) {
            return "kept from your last attempt; leave empty to use it";
        }
        Object v = stored == null ? null : stored.properties().get(f.key());
        return v != null && !v.toString().isEmpty() ? "stored; leave empty to keep it" : "";
    }

    private static void select(String id, String name, TransportSchema.Field f, String value, StringBuilder html) {
        List<TransportSchema.Choice> choices = f.options().isEmpty()
                ? List.of(new TransportSchema.Choice("true", "Yes"), new TransportSchema.Choice("false", "No"))
                : f.options();
        html.append("<select id=\"").append(id).append("\" name=\"").append(name).append("\">");
        boolean known = choices.stream().anyMatch(c -> c.value().equals(value));
        if (!known && !value.isEmpty()) {
            html.append("<option value=\"").append(Html.text(value)).append("\" selected>")
                    .append(Html.text(value)).append("</option>");
        }
        for (TransportSchema.Choice c : choices) {
            html.append("<option value=\"").append(Html.text(c.value())).append('"')
                    .append(c.value().equals(value) ? " selected" : "").append('>').append(Html.text(c.label()))
                    .append("</option>");
        }
        html.append("</select>");
    }

    /**
     * Returns a stored value as the text of its field: arrays and lists joined with commas.
     *
     * @param value the stored value
     * @return the text
     */
    static String text(Object value) {
        if (value != null && value.getClass().isArray()) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < Array.getLength(value); i++) {
                s.append(i == 0 ? "" : ",").append(Array.get(value, i));
            }
            return s.toString();
        }
        if (value instanceof java.util.Collection<?> c) {
            return String.join(",", c.stream().map(String::valueOf).toList());
        }
        return value == null ? "" : value.toString();
    }
}
