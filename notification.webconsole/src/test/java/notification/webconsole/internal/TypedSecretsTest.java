package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A secret typed into a refused form is kept for that browser and that configuration only, for a while. */
class TypedSecretsTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void keptForTheSameBrowserAndConfigurationOnly() {
        TypedSecrets secrets = new TypedSecrets(Clock.fixed(NOW, ZoneOffset.UTC));
        secrets.keep("browser-a", "notification.relay~office", Map.of("password", "s3cret", "token", ""));
        assertEquals(Optional.of("s3cret"), secrets.typed("browser-a", "notification.relay~office", "password"));
        assertEquals(Optional.empty(), secrets.typed("browser-b", "notification.relay~office", "password"));
        assertEquals(Optional.empty(), secrets.typed("browser-a", "notification.relay~console", "password"));
        assertEquals(Optional.empty(), secrets.typed("browser-a", "notification.relay~office", "token"));
        secrets.forget("browser-a", "notification.relay~office");
        assertEquals(Optional.empty(), secrets.typed("browser-a", "notification.relay~office", "password"));
    }

    @Test
    void forgottenAfterFifteenMinutes() {
        MovableClock clock = new MovableClock();
        TypedSecrets secrets = new TypedSecrets(clock);
        secrets.keep("b", "pid", Map.of("password", "s3cret"));
        clock.now = NOW.plus(Duration.ofMinutes(14));
        assertEquals(Optional.of("s3cret"), secrets.typed("b", "pid", "password"));
        clock.now = NOW.plus(Duration.ofMinutes(16));
        assertEquals(Optional.empty(), secrets.typed("b", "pid", "password"));
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        Instant now = NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
