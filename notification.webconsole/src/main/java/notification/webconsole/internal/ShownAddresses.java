package notification.webconsole.internal;

import java.net.IDN;
import java.util.Collection;
import java.util.stream.Collectors;

/** Addresses as an administrator reads them: internationalized domains decoded from their A-labels (xn--...). */
final class ShownAddresses {

    private ShownAddresses() {
    }

    /**
     * Returns an address with its domain in Unicode, for example {@code anna@bücher.example} for
     * {@code anna@xn--bcher-kva.example}; an address without a valid A-label is returned as it is.
     *
     * @param address the address as stored or sent
     * @return the address to show
     */
    static String of(String address) {
        int at = address.lastIndexOf('@');
        // IDN.toUnicode returns a label it cannot decode unchanged
        return at < 0 ? address : address.substring(0, at + 1) + IDN.toUnicode(address.substring(at + 1),
                IDN.ALLOW_UNASSIGNED);
    }

    /**
     * Returns addresses to show, separated by commas.
     *
     * @param addresses the addresses as stored or sent
     * @return the list to show
     */
    static String list(Collection<String> addresses) {
        return addresses.stream().map(ShownAddresses::of).collect(Collectors.joining(", "));
    }
}
