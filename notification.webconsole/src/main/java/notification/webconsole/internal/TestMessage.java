package notification.webconsole.internal;

import java.time.Duration;
import java.util.Optional;
import notification.api.DeliveryState;
import notification.api.InvalidNotificationException;
import notification.api.Notification;
import notification.api.NotificationService;
import notification.api.NotificationStoreException;
import notification.api.OutboxEntry;
import notification.api.Receipt;

/** Sends a test e-mail through the notification service and waits briefly to tell how it went. */
final class TestMessage {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(200);

    private final NotificationService service;

    TestMessage(NotificationService service) {
        this.service = service;
    }

    /**
     * Submits a test message and reports its outcome: delivered, failed and why, or still queued.
     *
     * @param to the recipient as typed
     * @param sentBy who asked for it (the console user), for the message body
     * @return the outcome to show
     */
    Flash send(String to, String sentBy) {
        String recipient = to == null ? "" : to.trim();
        if (recipient.isEmpty()) {
            return Flash.error("Test message: enter the address to send it to.");
        }
        Receipt receipt;
        try {
            receipt = service.submit(Notification.builder().to(recipient)
                    .subject("Test message from the print server")
                    .text("This is a test message sent from the print server's Notifications page"
                            + (sentBy == null ? "" : " by " + sentBy) + ".\r\n\r\nIf you can read it, notifications "
                            + "reach this mailbox.\r\n")
                    .reference("console-test").build());
        } catch (InvalidNotificationException e) {
            return Flash.error("Test message not sent: " + e.getMessage());
        } catch (NotificationStoreException e) {
            return Flash.error("Test message not sent: " + e.getMessage());
        }
        Optional<OutboxEntry> entry = waitForOutcome(receipt.id());
        if (entry.isEmpty()) {
            return Flash.info("Test message queued, id " + receipt.id() + ".");
        }
        OutboxEntry e = entry.get();
        String via = e.transport() == null ? "" : " through " + e.transport();
        return switch (e.state()) {
            case SENT -> delivered(recipient, e);
            case FAILED, EXPIRED, QUARANTINED -> Flash.error("Test message to " + recipient + " failed" + via + ": "
                    + (e.lastError() == null ? e.state().name() : e.lastError()) + " (id " + e.id() + ").");
            case DEFERRED -> Flash.warn("Test message to " + recipient + " not delivered yet" + via + ": "
                    + (e.lastError() == null ? "deferred" : e.lastError()) + ". It stays in the outbox and is retried "
                    + "(id " + e.id() + ").");
            default -> Flash.info("Test message queued, id " + e.id() + " (" + e.state().name().toLowerCase() + ").");
        };
    }

    private Flash delivered(String recipient, OutboxEntry e) {
        String first = service.transports().stream().findFirst().map(t -> t.name()).orElse("");
        String text = "Test message delivered to " + recipient + " through " + e.transport() + " (id " + e.id() + ").";
        if (e.transport() != null && !e.transport().equals(first)) {
            return Flash.warn(text + " That is a failover: the first choice, " + first + ", did not deliver it."
                    + " Check its status above.");
        }
        return Flash.ok(text);
    }

    private Optional<OutboxEntry> waitForOutcome(String id) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Optional<OutboxEntry> last = service.find(id);
        while (System.nanoTime() < deadline) {
            if (last.isPresent() && (last.get().state().isFinal() || last.get().state() == DeliveryState.DEFERRED)) {
                return last;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            }
            last = service.find(id);
        }
        return last;
    }
}
