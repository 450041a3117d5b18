package notification.testkit;

import java.security.SecureRandom;
import java.util.Base64;

/** Random identifiers for codes and tokens of the fakes. */
final class Randoms {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Randoms() {
    }

    static String token() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
