package notification.api;

import java.util.Objects;

/**
 * A person with an e-mail address and an optional display name, such as the user on whose behalf a scan is sent.
 *
 * @param name the display name, for example "John Doe"; may be {@code null} or empty when unknown
 * @param address the e-mail address, for example "john.doe@example.com"; never {@code null}
 */
public record Person(String name, String address) {

    /**
     * Creates a person.
     *
     * @param name the display name, or {@code null}
     * @param address the e-mail address
     * @throws NullPointerException if {@code address} is {@code null}
     */
    public Person {
        Objects.requireNonNull(address, "address");
    }

    /**
     * Creates a person known only by address.
     *
     * @param address the e-mail address
     * @return a person with no display name
     */
    public static Person of(String address) {
        return new Person(null, address);
    }
}
