package notification.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import notification.api.Person;

/**
 * Builds the From header for the transport that delivers: its own mailbox address, with the on-behalf person's name
 * (through the configured pattern) or else the transport's own name as display name.
 */
final class FromHeader {
    private FromHeader() {
    }

    /**
     * Returns the display name.
     *
     * @param sender the transport's mailbox
     * @param onBehalfName the person's name, or null
     * @param onBehalfAddress the person's address, or null when not sent on behalf of anyone
     * @param pattern the pattern with {name} and {address}
     * @return the display name, or null for none
     */
    static String displayName(Person sender, String onBehalfName, String onBehalfAddress, String pattern) {
        String display;
        if (onBehalfAddress != null) {
            String name = onBehalfName == null || onBehalfName.isBlank() ? onBehalfAddress : onBehalfName;
            display = pattern.replace("{address}", onBehalfAddress).replace("{name}", name);
        } else {
            display = sender.name();
        }
        if (display == null) {
            return null;
        }
        display = display.replaceAll("[\\r\\n\\x00]", " ").strip();
        return display.isEmpty() ? null : display;
    }

    /**
     * Returns the whole header line, CRLF included, encoded per RFC 2047 where needed.
     *
     * @param sender the transport's mailbox
     * @param displayName the display name, or null
     * @return the header line bytes
     * @throws IllegalArgumentException if the sender address is unusable
     */
    static byte[] line(Person sender, String displayName) {
        String address = sender == null ? null : sender.address();
        if (address == null || address.isBlank() || address.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw new IllegalArgumentException("the transport's sender address is missing or invalid");
        }
        String field = HeaderEncoder.addresses("From", Collections.singletonList(displayName),
                List.of(MailAddresses.onTheWire(address.strip())));
        return (field + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
