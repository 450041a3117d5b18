package notification.core.internal.files;

import java.util.Collections;
import java.util.Dictionary;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs before Config Admin's interpolation plugin on the product's configurations ({@code notification.*}): a key
 * that is not a secret (its name does not end in password, secret or key) and refers to {@code $[secret:...]} or
 * {@code $[env:...]} is taken out, with a warning naming the key, so a component never receives such a value and
 * cannot show it in a status, a page or a log line. References stay honoured in secret keys.
 */
@Component(property = {ConfigurationPlugin.CM_RANKING + ":Integer=" + PlainKeyReferences.RANKING,
        "config.plugin.id=notification.plain-key-references"})
public final class PlainKeyReferences implements ConfigurationPlugin {
    /** Below the interpolation plugin's 500, so this sees the references before they are resolved. */
    static final int RANKING = 400;
    private static final Logger LOG = LoggerFactory.getLogger(PlainKeyReferences.class);

    /** Creates the plugin. */
    public PlainKeyReferences() {
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        Object pid = properties.get("service.pid");
        if (!(pid instanceof String p) || !p.startsWith("notification.")) {
            return;
        }
        for (String key : Collections.list(properties.keys())) {
            if (!SecretFiles.isSecret(key) && refersToSecret(properties.get(key))) {
                properties.remove(key);
                LOG.warn("Configuration {}: key '{}' refers to a secret or environment variable ($[secret:...] or "
                        + "$[env:...]); such references are honoured only in password, secret and key keys, so '{}' is "
                        + "left out. Write its value in the file itself.", p, key, key);
            }
        }
    }

    static boolean refersToSecret(Object value) {
        if (value instanceof String s) {
            return s.contains("$[secret:") || s.contains("$[env:");
        }
        if (value instanceof String[] array) {
            for (String s : array) {
                if (refersToSecret(s)) {
                    return true;
                }
            }
        }
        return false;
    }
}
