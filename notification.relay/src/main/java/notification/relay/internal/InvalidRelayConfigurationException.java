package notification.relay.internal;

/** A relay configuration value that cannot work; the message is a sentence naming the key and the fix. */
final class InvalidRelayConfigurationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String key;

    InvalidRelayConfigurationException(String key, String sentence) {
        super(sentence);
        this.key = key;
    }

    /** Returns the configuration key that is wrong. */
    String key() {
        return key;
    }
}
