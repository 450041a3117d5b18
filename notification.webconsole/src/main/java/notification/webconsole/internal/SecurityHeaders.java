package notification.webconsole.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Sets Content-Security-Policy, nosniff and no-store on every response. Scripts run only from this server's files and
 * the two inline scripts of the Web Console's own page header, allowed by their hashes; when that header cannot be
 * read, no inline script runs at all (never {@code 'unsafe-inline'}).
 */
final class SecurityHeaders {
    private static final String CONSOLE_BUNDLE = "org.apache.felix.webconsole";
    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script type=\"text/javascript\">(.*?)</script>",
            Pattern.DOTALL);

    private final BundleContext context;
    private final Map<String, String> scriptSourcesByRoot = new ConcurrentHashMap<>();

    SecurityHeaders(BundleContext context) {
        this.context = context;
    }

    /**
     * Sets the headers for a console page or JSON answer.
     *
     * @param response the response, not yet committed
     * @param appRoot the console root, for example "/system/console"
     * @param label the plugin label
     */
    void applyToConsole(HttpServletResponse response, String appRoot, String label) {
        String found = scriptSourcesByRoot.computeIfAbsent(appRoot + "|" + label, k -> scriptSources(appRoot, label));
        response.setHeader("Content-Security-Policy", consolePolicy(found));
        common(response);
    }

    /**
     * Returns the Content-Security-Policy of a console page.
     *
     * @param scriptSources the allowed script sources from {@link #scriptSources(String, String, String)}, or
     *        {@code null} when the console's header is unknown (then this server's files alone)
     * @return the policy
     */
    static String consolePolicy(String scriptSources) {
        return "default-src 'self'; script-src " + (scriptSources == null ? "'self'" : scriptSources)
                + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self';"
                + " frame-ancestors 'self'";
    }

    /**
     * Sets the headers for a page of the OAuth callback, which may run exactly one inline script.
     *
     * @param response the response
     * @param scriptHash the "'sha256-...'" source of the page's script
     */
    static void applyToCallback(HttpServletResponse response, String scriptHash) {
        response.setHeader("Content-Security-Policy", "default-src 'none'; script-src " + scriptHash
                + "; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
        common(response);
    }

    /**
     * Returns the CSP source for an inline script.
     *
     * @param script the script text exactly as between the tags
     * @return "'sha256-...'"
     */
    static String hashSource(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    private static void common(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Cache-Control", "no-store");
    }

    private String scriptSources(String appRoot, String label) {
        return scriptSources(consoleHeaderTemplate(), appRoot, label);
    }

    /**
     * Returns the script sources allowed on a console page: this server's files and the header's inline scripts by
     * hash; {@code null} when the header is unknown, which the caller answers with this server's files alone.
     *
     * @param header the Web Console's header template, or {@code null} when it cannot be read
     * @param appRoot the console root
     * @param label the plugin label
     * @return the sources, or {@code null}
     */
    static String scriptSources(String header, String appRoot, String label) {
        if (header == null) {
            // fail closed: only this server's script files run; not remembered, so a later request may find it
            return null;
        }
        List<String> sources = new ArrayList<>();
        sources.add("'self'");
        Matcher m = INLINE_SCRIPT.matcher(header);
        while (m.find()) {
            String script = m.group(1).replace("${appRoot}", appRoot).replace("${head.label}", label);
            sources.add(hashSource(script));
        }
        return String.join(" ", sources);
    }

    private String consoleHeaderTemplate() {
        for (Bundle b : context.getBundles()) {
            if (CONSOLE_BUNDLE.equals(b.getSymbolicName())) {
                URL url = b.getEntry("/templates/main_header.html");
                if (url == null) {
                    return null;
                }
                try (InputStream in = url.openStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
