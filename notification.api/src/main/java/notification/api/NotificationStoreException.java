package notification.api;

/**
 * Thrown by {@link NotificationService#submit(Notification)} when the notification could not be stored durably (for
 * example the disk is full). No receipt was given, so the caller still owns the notification.
 */
public class NotificationStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause the underlying failure
     */
    public NotificationStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
