package notification.itest.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.concurrent.Callable;
import notification.api.transport.MailTransport;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/** Transport names in the running framework: a path is refused, and a name in use is kept by the first. */
class TransportNamesTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    ServiceComponentRuntime scr;

    @Test
    void aSecondConfigurationWithANameInUseIsRefusedNamingTheFirst() throws Exception {
        Configuration first = configure("namefirst", "Shared-Name");
        Configuration second = null;
        try {
            await(() -> count("Shared-Name") == 1 ? Boolean.TRUE : null);
            second = configure("namesecond", "shared-name");
            ComponentConfigurationDTO refused = await(() -> failed("notification.oauth.microsoft~namesecond"));
            assertTrue(refused.failure.contains("already used by configuration notification.oauth.microsoft~namefirst"),
                    refused.failure);
            assertEquals(1, count("Shared-Name"), "the first keeps it");
            assertEquals(0, count("shared-name"));
        } finally {
            first.delete();
            if (second != null) {
                second.delete();
            }
        }
    }

    @Test
    void aNameThatLeadsOutOfTheTokenFolderIsRefused() throws Exception {
        Configuration config = configure("pathname", "../../conf");
        try {
            ComponentConfigurationDTO refused = await(() -> failed("notification.oauth.microsoft~pathname"));
            assertTrue(refused.failure.contains("The transport name \"../../conf\" contains '/'"), refused.failure);
            Path data = Path.of(context.getProperty("notification.data.dir"));
            assertFalse(Files.exists(data.resolve("tokens/../../conf/token-cache.key").normalize()));
        } finally {
            config.delete();
        }
    }

    private Configuration configure(String pidName, String name) throws Exception {
        Configuration config = configAdmin.getFactoryConfiguration("notification.oauth.microsoft", pidName, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("name", name);
        props.put("cloud", "custom");
        props.put("authorityUrl", "https://login.example.test/contoso/");
        props.put("clientId", "11111111-2222-3333-4444-555555555555");
        props.put("username", "scanner@contoso.example");
        config.update(props);
        return config;
    }

    private int count(String name) throws Exception {
        return context.getServiceReferences(MailTransport.class, "(" + MailTransport.NAME + "=" + name + ")").size();
    }

    private ComponentConfigurationDTO failed(String pid) {
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (pid.equals(c.properties.get("service.pid"))
                        && c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    return c;
                }
            }
        }
        return null;
    }

    private static <T> T await(Callable<T> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            T value = condition.call();
            if (value != null) {
                return value;
            }
            Thread.sleep(50);
        }
        T value = condition.call();
        assertNotNull(value, "condition not met within 20 s");
        return value;
    }
}
