package notification.core.internal;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Makes outbox ids and RFC 5322 Message-IDs: unique, unguessable, and ordered by time for easy reading. */
final class MessageIds {
    private final SecureRandom random = new SecureRandom();
    private final String domain;

    MessageIds() {
        this(localDomain());
    }

    MessageIds(String domain) {
        this.domain = domain;
    }

    /** An outbox id with its Message-ID. */
    record Pair(String id, String messageId) {
    }

    /**
     * Makes a new outbox id, for example "lx3k9a2b-1f2e3d4c5b6a", and its Message-ID with angle brackets, from one
     * draw of the random source.
     */
    Pair next() {
        byte[] bytes = new byte[14];
        random.nextBytes(bytes);
        HexFormat hex = HexFormat.of();
        String id = Long.toString(System.currentTimeMillis(), 36) + "-" + hex.formatHex(bytes, 0, 6);
        return new Pair(id, "<" + id + "." + hex.formatHex(bytes, 6, 14) + "@" + domain + ">");
    }

    private static String localDomain() {
        try {
            String host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9.-]", "-");
            return host.isEmpty() ? "print-server.invalid" : host;
        } catch (Exception e) {
            return "print-server.invalid";
        }
    }
}
