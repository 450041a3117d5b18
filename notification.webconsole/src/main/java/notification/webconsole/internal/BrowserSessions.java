package notification.webconsole.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Recognises the administrator's browser by a random HttpOnly cookie: derives the OAuth browser binding and the CSRF
 * token from it, and keeps the one-time messages shown after a redirect.
 */
@Component(service = BrowserSessions.class)
public final class BrowserSessions {
    /** Name of the cookie that identifies the browser; path "/" so the OAuth callback receives it too. */
    static final String COOKIE = "notification_console";
    /** Name of the hidden form field carrying the CSRF token. */
    static final String CSRF_FIELD = "csrf";

    private static final Pattern COOKIE_VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int MAX_BROWSERS = 1000;
    private static final Duration FLASH_LIFETIME = Duration.ofMinutes(10);

    private final SecureRandom random = new SecureRandom();
    private final byte[] tokenKey = new byte[32];
    private final Clock clock;
    private final Map<String, Pending> flashes = new LinkedHashMap<>();

    private record Pending(Instant createdAt, List<Flash> messages) {
    }

    /** Creates the sessions with a fresh key: tokens issued before a restart are no longer accepted. */
    @Activate
    public BrowserSessions() {
        this(Clock.systemUTC());
    }

    BrowserSessions(Clock clock) {
        this.clock = clock;
        random.nextBytes(tokenKey);
    }

    /**
     * Returns the browser's cookie value, setting a new cookie when the browser has none yet.
     *
     * @param request the request
     * @param response the response, still uncommitted
     * @return the cookie value
     */
    String identify(HttpServletRequest request, HttpServletResponse response) {
        Optional<String> existing = cookie(request);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        StringBuilder header = new StringBuilder(COOKIE).append('=').append(value)
                .append("; Path=/; HttpOnly; SameSite=Lax");
        if (request.isSecure()) {
            header.append("; Secure");
        }
        response.addHeader("Set-Cookie", header.toString());
        return value;
    }

    /**
     * Returns the browser's cookie value, if it presents a well-formed one.
     *
     * @param request the request
     * @return the cookie value
     */
    Optional<String> cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie c : cookies) {
            if (COOKIE.equals(c.getName()) && c.getValue() != null && COOKIE_VALUE.matcher(c.getValue()).matches()) {
                return Optional.of(c.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * Derives the value handed to {@code InteractiveAuthorization.begin/complete}: a hash, so the cookie itself never
     * leaves this bundle.
     *
     * @param cookieValue the cookie value
     * @return the browser binding
     */
    String browserBinding(String cookieValue) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("notification-browser-binding:".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha.digest(cookieValue.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    /**
     * Returns the CSRF token for a browser: an HMAC of its cookie under a key that never leaves memory.
     *
     * @param cookieValue the cookie value
     * @return the token
     */
    String csrfToken(String cookieValue) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(tokenKey, "HmacSHA256"));
            byte[] tag = mac.doFinal(cookieValue.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JVM", e);
        }
    }

    /**
     * Tells whether a POST carries the CSRF token that belongs to the browser's cookie (compared in constant time).
     *
     * @param request the request
     * @return whether the token is present and right
     */
    boolean hasValidCsrfToken(HttpServletRequest request) {
        Optional<String> cookie = cookie(request);
        return cookie.isPresent() && tokenMatches(cookie.get(), request.getParameter(CSRF_FIELD));
    }

    /**
     * Tells whether a presented token is the one of a browser's cookie, in constant time.
     *
     * @param cookieValue the cookie value
     * @param presented the token the form carried, or {@code null}
     * @return whether they match
     */
    boolean tokenMatches(String cookieValue, String presented) {
        if (presented == null) {
            return false;
        }
        byte[] expected = csrfToken(cookieValue).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Keeps a message to show on the browser's next page view.
     *
     * @param cookieValue the browser's cookie value
     * @param flash the message
     */
    synchronized void addFlash(String cookieValue, Flash flash) {
        Instant now = clock.instant();
        flashes.values().removeIf(p -> p.createdAt().plus(FLASH_LIFETIME).isBefore(now));
        Pending pending = flashes.computeIfAbsent(cookieValue, k -> new Pending(now, new ArrayList<>()));
        if (pending.messages().size() < 10) {
            pending.messages().add(flash);
        }
        while (flashes.size() > MAX_BROWSERS) {
            flashes.remove(flashes.keySet().iterator().next());
        }
    }

    /**
     * Removes and returns the messages kept for a browser.
     *
     * @param cookieValue the browser's cookie value
     * @return the messages, oldest first
     */
    synchronized List<Flash> takeFlashes(String cookieValue) {
        Pending pending = flashes.remove(cookieValue);
        if (pending == null || pending.createdAt().plus(FLASH_LIFETIME).isBefore(clock.instant())) {
            return List.of();
        }
        return List.copyOf(pending.messages());
    }
}
