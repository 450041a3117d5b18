package notification.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretReferencesTest {

    @TempDir
    Path secrets;

    @Test
    void onlyInterpolationReferencesToSecretsOrTheEnvironmentCount() {
        assertTrue(SecretReferences.refersToSecret("smtp.$[env:DOMAIN]"));
        assertTrue(SecretReferences.refersToSecret("$[secret:relay;default=x]"));
        assertFalse(SecretReferences.refersToSecret("$[conf:x]"));
        assertFalse(SecretReferences.refersToSecret("Scanner $[1]"));
        assertFalse(SecretReferences.refersToSecret(null));
    }

    @Test
    void secretsEnvironmentAndDefaultsResolveAsTheInterpolationPluginDoes() throws Exception {
        Files.writeString(secrets.resolve("console-password"), "admin\n");
        assertEquals("admin", SecretReferences.resolve("$[secret:console-password]", secrets, Map.of()));
        assertEquals("admin", SecretReferences.resolve("$[env:PW]", secrets, Map.of("PW", "admin")));
        assertEquals("adm$1in", SecretReferences.resolve("$[env:MISSING;default=adm$1in]", secrets, Map.of()));
        assertEquals("$[secret:missing]", SecretReferences.resolve("$[secret:missing]", secrets, Map.of()));
        assertEquals("$[secret:../x]", SecretReferences.resolve("$[secret:../x]", secrets, Map.of()));
        assertEquals("$[secret:console-password]", SecretReferences.resolve("$[secret:console-password]", null,
                Map.of()), "no secrets folder configured: the value is taken literally");
    }

    /** The console's salted form, computed as its Password class documents it. */
    private static String salted(String salt, int iterations, String password) throws Exception {
        byte[] h = (salt + password).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < iterations; i++) {
            h = d.digest(h);
        }
        return "{sha-256}" + salt + "-" + iterations + "-" + java.util.Base64.getEncoder().encodeToString(h);
    }

    @Test
    void theDefaultPasswordIsRecognisedInItsHashedForms() throws Exception {
        assertTrue(ConsoleCredentials.isHashOfDefault("{sha-256}jGl25bVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg="));
        assertTrue(ConsoleCredentials.isHashOfDefault("{SHA-1}0DPiKuNIrrVmD8IUCuw1hQxNqZc="));
        assertFalse(ConsoleCredentials.isHashOfDefault("{sha-256}AAAAbVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg="));
        assertFalse(ConsoleCredentials.isHashOfDefault("{nope}abc"));
        assertTrue(ConsoleCredentials.isHashOfDefault(salted("0a1b2c3d", 1000, "admin")), "the console's salted form");
        assertFalse(ConsoleCredentials.isHashOfDefault(salted("0a1b2c3d", 1000, "Corr3ct-Horse")));
        assertFalse(ConsoleCredentials.isHashOfDefault("admin"));
    }
}
