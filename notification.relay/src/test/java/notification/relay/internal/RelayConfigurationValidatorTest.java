package notification.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The relay's own checks for the console: every problem at once, by key. */
class RelayConfigurationValidatorTest {
    private final RelayConfigurationValidator validator = new RelayConfigurationValidator();

    @Test
    void aCompleteConfigurationHasNoProblem() {
        assertEquals(Map.of(), validator.problems(Map.of("host", "smtp.example.com", "port", 587,
                "username", "printer", "password", "$[secret:relay-password]", "from", "printer@example.com")));
    }

    @Test
    void everyProblemIsReportedAtOnceByKey() {
        Map<String, String> problems = validator.problems(Map.of("port", 70_000, "security", "ssl",
                "password", "x", "from", "Printer <printer@example.com>"));
        assertEquals(Set.of("host", "port", "security", "username", "from"), problems.keySet());
        assertEquals("is required when a password is given", problems.get("username"));
    }

    @Test
    void aUsernameWithoutPasswordNamesThePassword() {
        assertEquals(Set.of("password"), validator.problems(Map.of("host", "h", "username", "u",
                "from", "a@example.com")).keySet());
    }
}
