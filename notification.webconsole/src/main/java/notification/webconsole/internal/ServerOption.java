package notification.webconsole.internal;

import java.util.Optional;

/** The SMTP server choices of the Notifications page, in the words print-server administrators know. */
enum ServerOption {
    /** Microsoft 365 over SMTP with OAuth2, global cloud. */
    OUTLOOK("outlook", "Outlook with OAuth"),
    /** Microsoft 365 over SMTP with OAuth2, US Government cloud. */
    OUTLOOK_USGOV("outlook-usgov", "Outlook with OAuth (US Gov)"),
    /** Microsoft 365 through the Graph sendMail API. */
    GRAPH("graph", "Microsoft Graph"),
    /** Any SMTP server, optionally with a user name and password. */
    RELAY("relay", "SMTP relay / custom server"),
    /** Writes .eml files into var/pickup; needs no mail server. */
    PICKUP("pickup", "Local pickup directory");

    private final String value;
    private final String label;

    ServerOption(String value, String label) {
        this.value = value;
        this.label = label;
    }

    /**
     * Returns the form value.
     *
     * @return the value, for example "outlook"
     */
    String value() {
        return value;
    }

    /**
     * Returns what the administrator reads.
     *
     * @return the label
     */
    String label() {
        return label;
    }

    /**
     * Tells whether this choice is the Microsoft OAuth transport.
     *
     * @return {@code true} for the Outlook and Graph choices
     */
    boolean isMicrosoft() {
        return this == OUTLOOK || this == OUTLOOK_USGOV || this == GRAPH;
    }

    /**
     * Finds the choice for a form value.
     *
     * @param value the form value
     * @return the choice
     */
    static Optional<ServerOption> of(String value) {
        for (ServerOption o : values()) {
            if (o.value.equals(value)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
