package notification.webconsole.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;

/** Refuses state-changing requests that a browser sent on behalf of another site (Origin, else Referer, check). */
final class SameOrigin {

    private SameOrigin() {
    }

    /**
     * Tells whether a request comes from a page of this server. A browser always sends Origin (or at least Referer)
     * on a POST; a script that sends neither still needs the CSRF token.
     *
     * @param request the request
     * @return {@code false} if Origin or Referer names another origin
     */
    static boolean isSameOrigin(HttpServletRequest request) {
        return isSameOrigin(ownOrigin(request), request.getHeader("Origin"), request.getHeader("Referer"));
    }

    /**
     * Tells whether the Origin header, or else the Referer header, names this server's origin.
     *
     * @param self this server's origin
     * @param origin the Origin header, or {@code null}
     * @param referer the Referer header, or {@code null}
     * @return {@code false} if either names another origin
     */
    static boolean isSameOrigin(String self, String origin, String referer) {
        if (origin != null) {
            return originOf(origin).equals(self);
        }
        if (referer != null) {
            return originOf(referer).equals(self);
        }
        return true;
    }

    /**
     * Returns this server's origin as the browser addressed it, for example "http://127.0.0.1:9191".
     *
     * @param request the request
     * @return scheme, host and port, lower case
     */
    static String ownOrigin(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        String scheme = request.getScheme().toLowerCase(Locale.ROOT);
        return normalize(scheme, host.toLowerCase(Locale.ROOT));
    }

    /**
     * Returns the origin of a URL, lower case with the default port left out; an empty string when it is not a URL.
     *
     * @param url the URL
     * @return the origin
     */
    static String originOf(String url) {
        try {
            URI uri = URI.create(url.trim());
            if (uri.getScheme() == null || uri.getRawAuthority() == null) {
                return "";
            }
            String authority = uri.getRawAuthority();
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                authority = authority.substring(at + 1);
            }
            return normalize(uri.getScheme().toLowerCase(Locale.ROOT), authority.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String normalize(String scheme, String hostAndPort) {
        if (scheme.equals("http") && hostAndPort.endsWith(":80")) {
            hostAndPort = hostAndPort.substring(0, hostAndPort.length() - 3);
        } else if (scheme.equals("https") && hostAndPort.endsWith(":443")) {
            hostAndPort = hostAndPort.substring(0, hostAndPort.length() - 4);
        }
        return scheme + "://" + hostAndPort;
    }
}
