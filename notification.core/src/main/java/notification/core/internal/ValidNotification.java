package notification.core.internal;

import jakarta.mail.internet.InternetAddress;
import java.util.List;
import notification.api.Notification;

/**
 * A notification that passed {@link NotificationValidator}, with its addresses parsed.
 *
 * @param notification the notification
 * @param to parsed "To" addresses
 * @param cc parsed "Cc" addresses
 * @param envelope every distinct bare recipient address (To, Cc and Bcc)
 * @param replyTo the on-behalf person's address, or {@code null}
 */
public record ValidNotification(Notification notification, List<InternetAddress> to, List<InternetAddress> cc,
        List<String> envelope, InternetAddress replyTo) {
}
