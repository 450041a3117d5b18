package notification.oauth.internal;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The optional expiry date of the client secret ({@code secretExpires}, yyyy-MM-dd, as Entra shows it), turned into
 * a warning from 30 days before: a new secret has to be made and entered before mail stops.
 */
final class SecretExpiry {

    /** How many days before the expiry the warning starts. */
    static final int WARN_DAYS = 30;

    private final String text;
    private final LocalDate date;

    SecretExpiry(String configured) {
        this.text = configured == null ? "" : configured.strip();
        LocalDate parsed = null;
        if (!text.isEmpty()) {
            try {
                parsed = LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                parsed = null;
            }
        }
        this.date = parsed;
    }

    /**
     * Returns the warning for today, if any: the secret expires within 30 days or has expired, or the date is not
     * a date.
     *
     * @param clock the clock (UTC days)
     * @return the warning
     */
    Optional<String> warning(Clock clock) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (date == null) {
            return Optional.of("secretExpires '" + text + "' is not a date: write it as yyyy-MM-dd (for example "
                    + "2027-06-30), or leave it empty; no expiry warning can be given until then.");
        }
        long days = ChronoUnit.DAYS.between(LocalDate.now(clock.withZone(ZoneOffset.UTC)), date);
        String renew = "create a new client secret in Entra (App registrations > Certificates & secrets), enter its "
                + "Value as Client secret, and set secretExpires to its expiry date.";
        if (days < 0) {
            return Optional.of("The client secret expired on " + date + ": sign-in and sending fail until you "
                    + renew);
        }
        if (days <= WARN_DAYS) {
            String when = days == 0 ? "today" : days == 1 ? "tomorrow" : "in " + days + " days";
            return Optional.of("The client secret expires " + when + " (" + date + "): before then, " + renew);
        }
        return Optional.empty();
    }
}
