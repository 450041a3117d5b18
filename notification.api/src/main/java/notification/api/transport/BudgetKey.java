package notification.api.transport;

import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link SendingBudget} counts for: one mailbox as seen through one protocol. Connection slots and message
 * starts are counted per key; recipients per day per mailbox, across its protocols (Microsoft counts a mailbox's
 * recipients over SMTP and Graph together).
 *
 * @param mailbox the sending mailbox's address, kept in lower case (mailboxes are compared without case)
 * @param protocol how the mailbox is reached, kept in lower case, for example {@code "smtp"} or {@code "graph"}
 * @since 1.2
 */
public record BudgetKey(String mailbox, String protocol) {

    /**
     * Creates a key.
     *
     * @param mailbox the mailbox's address; not blank
     * @param protocol the protocol; not blank
     * @throws IllegalArgumentException if either is blank
     * @throws NullPointerException if either is {@code null}
     */
    public BudgetKey {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(protocol, "protocol");
        mailbox = mailbox.strip().toLowerCase(Locale.ROOT);
        protocol = protocol.strip().toLowerCase(Locale.ROOT);
        if (mailbox.isEmpty() || protocol.isEmpty()) {
            throw new IllegalArgumentException("a budget key needs a mailbox and a protocol");
        }
    }

    @Override
    public String toString() {
        return mailbox + " (" + protocol + ")";
    }
}
