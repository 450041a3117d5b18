package notification.oauth.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What stored tokens were issued for (for Microsoft: cloud, authority, tenant, client and mailbox; for Google: the
 * authorization and token endpoints, client and mailbox), kept in {@code binding.properties} beside the token cache (in
 * the token folder or the shared database). Tokens are used only while the configuration in effect has the same
 * binding; change any part and the transport needs authorization again. Any provider can name its own parts.
 */
final class TokenBinding {
    /** The entry (file) name. */
    static final String FILE = "binding.properties";

    private final Map<String, String> parts;

    /**
     * Creates a binding.
     *
     * @param parts the parts by name, in the order they are reported; values are compared without case
     */
    TokenBinding(Map<String, String> parts) {
        Map<String, String> copy = new LinkedHashMap<>();
        parts.forEach((k, v) -> copy.put(k, v == null ? "" : v.strip()));
        this.parts = copy;
    }

    /**
     * The binding of a Microsoft 365 transport's configuration.
     *
     * @param settings the settings in effect
     * @return cloud, authority, tenant, client and username
     */
    static TokenBinding of(MicrosoftSettings settings) {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("cloud", settings.cloudName);
        parts.put("authority", settings.cloud == null ? "" : settings.cloud.authority());
        parts.put("tenant", settings.tenantId);
        parts.put("client", settings.clientId);
        parts.put("username", settings.username);
        return new TokenBinding(parts);
    }

    /**
     * The binding of a Gmail / Google Workspace transport's configuration.
     *
     * @param settings the settings in effect
     * @return provider, authority (the authorization endpoint), token endpoint, client and username
     */
    static TokenBinding of(GoogleSettings settings) {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("provider", "google");
        parts.put("authority", settings.authorizationUrl);
        parts.put("token", settings.tokenUrl);
        parts.put("client", settings.clientId);
        parts.put("username", settings.username);
        return new TokenBinding(parts);
    }

    /**
     * Names the parts that differ from the binding in effect.
     *
     * @param now the binding of the configuration in effect
     * @return for example "username a@x (now b@x)"; empty when the tokens may be used
     */
    List<String> differencesFrom(TokenBinding now) {
        List<String> found = new ArrayList<>();
        for (String key : union(now)) {
            String was = parts.getOrDefault(key, "");
            String is = now.parts.getOrDefault(key, "");
            if (!was.toLowerCase(Locale.ROOT).equals(is.toLowerCase(Locale.ROOT))) {
                found.add(key + " " + (was.isEmpty() ? "(none)" : was) + " (now " + (is.isEmpty() ? "none" : is)
                        + ")");
            }
        }
        return found;
    }

    private List<String> union(TokenBinding other) {
        List<String> keys = new ArrayList<>(parts.keySet());
        other.parts.keySet().stream().filter(k -> !keys.contains(k)).forEach(keys::add);
        return keys;
    }

    /**
     * Reads the binding stored beside the tokens.
     *
     * @param entries where the tokens are kept
     * @return the binding, empty when none was stored (tokens from before bindings existed)
     * @throws IOException if the place cannot be read
     */
    static Optional<TokenBinding> load(TokenEntries entries) throws IOException {
        Optional<byte[]> stored = entries.read(FILE);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(stored.get(), StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            // unreadable: treated as bound to nothing, so the transport asks for authorization again
            return Optional.of(new TokenBinding(Map.of("binding", "unreadable")));
        }
        Map<String, String> parts = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> parts.put(k, p.getProperty(k)));
        return Optional.of(new TokenBinding(parts));
    }

    /**
     * Stores this binding beside the tokens.
     *
     * @param entries where the tokens are kept
     * @throws IOException if the place cannot be written
     */
    void save(TokenEntries entries) throws IOException {
        Properties p = new Properties();
        p.putAll(parts);
        StringWriter text = new StringWriter();
        p.store(text, "What the tokens beside this were issued for (no secrets here)");
        entries.write(FILE, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
