package notification.oauth.internal;

import notification.api.transport.DeliveryResult;
import notification.api.transport.OutgoingMessage;

/** Submits messages to Microsoft 365 by one protocol (SMTP with XOAUTH2, or Graph sendMail). */
interface MessageSender extends AutoCloseable {

    /**
     * Submits one message; never throws for mail-system failures.
     *
     * @param message the message
     * @return the outcome
     */
    DeliveryResult send(OutgoingMessage message);

    /**
     * Checks that a token can be had and (for SMTP) that the server accepts it, without sending.
     *
     * @return an error sentence, or {@code null} when the check passed
     */
    String check();

    @Override
    void close();
}
