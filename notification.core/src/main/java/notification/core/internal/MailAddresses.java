package notification.core.internal;

import java.net.IDN;
import java.util.Locale;

/**
 * Addresses as they go on the wire: internationalized domains as A-labels ({@code xn--}, java.net.IDN), the local
 * part as given. Whether a local part beyond ASCII is allowed is the validator's decision (RFC 6531/6532).
 */
final class MailAddresses {
    /** Characters that IDNA2003 (java.net.IDN) maps to other letters where IDNA2008 keeps them: another domain. */
    private static final String DEVIATIONS = "\u00df\u03c2\u200c\u200d";

    private MailAddresses() {
    }

    /**
     * Converts the domain of an address to A-labels.
     *
     * @param address local@domain
     * @return the address with an ASCII domain
     * @throws IllegalArgumentException with a sentence saying why the domain cannot be converted
     */
    static String onTheWire(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return address;
        }
        String domain = address.substring(at + 1);
        if (HeaderEncoder.isPrintableAscii(domain)) {
            return address.substring(0, at + 1) + domain;
        }
        for (int i = 0; i < domain.length(); i++) {
            if (DEVIATIONS.indexOf(domain.charAt(i)) >= 0) {
                throw new IllegalArgumentException("the domain " + domain + " contains '" + domain.charAt(i)
                        + "', which IDNA2003 and IDNA2008 map to different domains; write the domain in its xn-- form");
            }
        }
        String ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        return address.substring(0, at + 1) + ascii;
    }

    /**
     * Tells whether a text has characters beyond ASCII.
     *
     * @param s the text, or null
     * @return true if any character is above U+007F
     */
    static boolean hasNonAscii(String s) {
        if (s != null) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) > 0x7f) {
                    return true;
                }
            }
        }
        return false;
    }
}
