package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The console's Content-Security-Policy allows inline scripts only by hash, and none when it cannot compute them. */
class SecurityHeadersTest {
    private static final String HEADER = "<html><script type=\"text/javascript\">var appRoot = \"${appRoot}\";"
            + "</script><p>${head.label}</p><script type=\"text/javascript\">init('${head.label}');</script>";

    @Test
    void anUnreadableConsoleHeaderFailsClosedToThisServersScriptFilesAlone() {
        assertNull(SecurityHeaders.scriptSources(null, "/system/console", "notifications"));
        String policy = SecurityHeaders.consolePolicy(null);
        String scripts = policy.substring(policy.indexOf("script-src"), policy.indexOf(';', policy.indexOf("script-src")));
        assertEquals("script-src 'self'", scripts);
    }

    @Test
    void theHeadersInlineScriptsAreAllowedByTheHashOfTheirFilledInText() {
        String sources = SecurityHeaders.scriptSources(HEADER, "/system/console", "notifications");
        assertEquals("'self' " + SecurityHeaders.hashSource("var appRoot = \"/system/console\";") + " "
                + SecurityHeaders.hashSource("init('notifications');"), sources);
        String policy = SecurityHeaders.consolePolicy(sources);
        assertTrue(policy.startsWith("default-src 'self'; script-src " + sources + ";"), policy);
        assertTrue(!policy.contains("script-src 'unsafe-inline'") && !sources.contains("unsafe"), policy);
    }
}
