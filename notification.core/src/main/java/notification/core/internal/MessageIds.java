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

    /** A new outbox id, for example "lx3k9a2b-1f2e3d4c5b6a". */
    String newId() {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        return Long.toString(System.currentTimeMillis(), 36) + "-" + HexFormat.of().formatHex(bytes);
    }

    /** A new Message-ID with angle brackets. */
    String newMessageId(String id) {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return "<" + id + "." + HexFormat.of().formatHex(bytes) + "@" + domain + ">";
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
