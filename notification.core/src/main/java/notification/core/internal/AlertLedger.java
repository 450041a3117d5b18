package notification.core.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Properties;
import notification.core.internal.files.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers when each alert condition was last mailed ({@code <data dir>/alerts/last-sent.properties}, owner-only),
 * so a condition is mailed at most once a day, also across restarts.
 */
final class AlertLedger {
    /** The shortest time between two mails about the same condition. */
    static final Duration PERIOD = Duration.ofDays(1);
    private static final Logger LOG = LoggerFactory.getLogger(AlertLedger.class);

    private final Path file;
    private final Properties sent = new Properties();

    AlertLedger(Path directory) {
        this.file = directory.resolve("last-sent.properties");
        try {
            if (Files.isRegularFile(file)) {
                sent.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            LOG.warn("Cannot read {} ({}): alerts may be repeated once", file, e.toString());
        }
    }

    /** Tells whether a condition may be mailed now: never mailed, or last mailed a day or more ago. */
    synchronized boolean due(String key, Instant now) {
        String last = sent.getProperty(key);
        if (last == null) {
            return true;
        }
        try {
            return !now.isBefore(Instant.parse(last).plus(PERIOD));
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    /** Records that conditions were mailed now, durably before returning. */
    synchronized void sent(Collection<String> keys, Instant now) throws IOException {
        for (String key : keys) {
            sent.setProperty(key, now.toString());
        }
        StringWriter text = new StringWriter();
        sent.store(text, "When each administrator alert was last mailed (at most once a day per condition)");
        OwnerOnlyFiles.folder(file.getParent());
        OwnerOnlyFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
