package notification.webconsole.internal;

/** A form value refused by Apply; the message names the field and what is wrong. Nothing was saved. */
final class SettingsException extends Exception {
    private static final long serialVersionUID = 1L;

    SettingsException(String field, String problem) {
        super(field + ": " + problem);
    }
}
