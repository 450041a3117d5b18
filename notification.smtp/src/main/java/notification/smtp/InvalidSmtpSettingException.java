package notification.smtp;

/** A setting of an SMTP server that cannot work; the message is a sentence naming the key and the fix. */
public final class InvalidSmtpSettingException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * Creates the exception.
     *
     * @param key the configuration key that is wrong
     * @param sentence what is wrong and how to fix it
     */
    public InvalidSmtpSettingException(String key, String sentence) {
        super(sentence);
        this.key = key;
    }

    /**
     * Returns the configuration key that is wrong.
     *
     * @return the key, for example "trustStore"
     */
    public String key() {
        return key;
    }
}
