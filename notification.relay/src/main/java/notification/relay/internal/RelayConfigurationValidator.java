package notification.relay.internal;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import notification.api.transport.TransportConfigurationValidator;
import org.osgi.service.component.annotations.Component;

/** Checks a proposed relay configuration for the console, reporting every problem at once. */
@Component(property = TransportConfigurationValidator.FACTORY_PID + "=" + RelayConfiguration.FACTORY_PID)
public final class RelayConfigurationValidator implements TransportConfigurationValidator {

    /** Creates the validator. */
    public RelayConfigurationValidator() {
    }

    @Override
    public Map<String, String> problems(Map<String, Object> properties) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (text(properties, "host").isEmpty()) {
            problems.put("host", "is required: the SMTP server's host name or address");
        }
        long port = number(properties, "port", 0);
        if (port < 0 || port > 65_535) {
            problems.put("port", "must be a port from 1 to 65535 (0: the usual port for the security)");
        }
        String security = text(properties, "security");
        if (!security.isEmpty()) {
            try {
                Security.parse(security);
            } catch (InvalidRelayConfigurationException e) {
                problems.put("security", "must be none, starttls or tls");
            }
        }
        boolean hasUser = !text(properties, "username").isEmpty();
        boolean hasPassword = !text(properties, "password").isEmpty();
        if (hasPassword && !hasUser) {
            problems.put("username", "is required when a password is given");
        } else if (hasUser && !hasPassword) {
            problems.put("password", "is required when a username is given");
        }
        String from = text(properties, "from");
        if (from.isEmpty()) {
            problems.put("from", "is required: the mailbox this relay sends from, for example scanner@example.com");
        } else if (!isBareAddress(from)) {
            problems.put("from", "must be an e-mail address such as scanner@example.com (the display name goes in"
                    + " its own field)");
        }
        return problems;
    }

    private static boolean isBareAddress(String value) {
        try {
            InternetAddress address = new InternetAddress(value, true);
            return address.getPersonal() == null && !address.isGroup();
        } catch (AddressException e) {
            return false;
        }
    }

    private static String text(Map<String, Object> properties, String key) {
        Object value = properties.get(key);
        return value == null ? "" : value.toString().trim();
    }

    private static long number(Map<String, Object> properties, String key, long fallback) {
        Object value = properties.get(key);
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return value == null || value.toString().isBlank() ? fallback : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
