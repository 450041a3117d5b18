package notification.api;

/**
 * Thrown by {@link NotificationService#submit(Notification)} when a notification is refused; nothing is queued.
 * The message names the offending field and what is wrong with it.
 */
public class InvalidNotificationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    /**
     * Creates the exception.
     *
     * @param field the offending field, for example "subject", "to[1]", "attachments[0].fileName"
     * @param problem what is wrong, in words an administrator understands
     */
    public InvalidNotificationException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /**
     * Returns the offending field.
     *
     * @return the field, for example "to[1]"
     */
    public String field() {
        return field;
    }
}
