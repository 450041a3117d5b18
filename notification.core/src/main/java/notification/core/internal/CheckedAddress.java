package notification.core.internal;

import jakarta.mail.internet.InternetAddress;
import java.io.UnsupportedEncodingException;

/**
 * An address that passed the checks, with its display name as given. Built without Jakarta Mail encoding the name
 * (which, for a non-ASCII name, looks its stream provider up through the ServiceLoader every time): the core renders
 * names itself, and this address is encoded in UTF-8 only if it is ever printed.
 */
final class CheckedAddress extends InternetAddress {
    private static final long serialVersionUID = 1L;

    CheckedAddress(String address, String personal) {
        this.address = address;
        this.personal = personal;
    }

    @Override
    public String toString() {
        try {
            return new InternetAddress(address, personal, "UTF-8").toString();
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
