package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The page shows internationalized domains as their users write them. */
class ShownAddressesTest {

    @Test
    void aLabelsAreShownDecodedAndEverythingElseAsItIs() {
        assertEquals("anna@bücher.example", ShownAddresses.of("anna@xn--bcher-kva.example"));
        assertEquals("anna@mail.bücher.example", ShownAddresses.of("anna@mail.xn--bcher-kva.example"));
        assertEquals("bob@example.com", ShownAddresses.of("bob@example.com"));
        assertEquals("no-at-sign", ShownAddresses.of("no-at-sign"));
        assertEquals("x@xn--", ShownAddresses.of("x@xn--"), "an invalid A-label is shown as written");
        assertEquals("anna@bücher.example, bob@example.com",
                ShownAddresses.list(List.of("anna@xn--bcher-kva.example", "bob@example.com")));
    }
}
