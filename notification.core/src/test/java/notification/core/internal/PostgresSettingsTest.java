package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code leaseSeconds} key: the lease's length, refused below what its renewal every third needs. */
class PostgresSettingsTest {

    @Test
    void leaseSecondsGiveTheLeasesLength() {
        assertEquals(Duration.ofSeconds(5), PostgresSettings.lease(5));
        assertEquals(Duration.ofSeconds(3), PostgresSettings.lease(3));
    }

    @Test
    void aLeaseShorterThanThreeSecondsIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PostgresSettings.lease(2));
        assertEquals("notification.core: leaseSeconds must be at least 3 (the lease is renewed every third of it)",
                e.getMessage());
    }
}
