package notification.core.internal.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Hashtable;
import org.junit.jupiter.api.Test;

class PlainKeyReferencesTest {

    @Test
    void referencesInOrdinaryKeysOfTheProductsConfigurationsAreLeftOut() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.pid", "notification.relay~office");
        props.put("host", "$[env:SMTP_HOST]");
        props.put("fromName", "Scanner $[secret:name]");
        props.put("recipients", new String[] {"a@example.org", "$[env:X]"});
        props.put("password", "$[secret:relay]");
        props.put("clientSecret", "$[env:SECRET]");
        props.put("tokenKey", "$[secret:oauth-token-key]");
        props.put("port", "587");
        new PlainKeyReferences().modifyConfiguration(null, props);
        assertNull(props.get("host"));
        assertNull(props.get("fromName"));
        assertNull(props.get("recipients"));
        assertEquals("$[secret:relay]", props.get("password"));
        assertEquals("$[env:SECRET]", props.get("clientSecret"));
        assertEquals("$[secret:oauth-token-key]", props.get("tokenKey"));
        assertEquals("587", props.get("port"));
    }

    @Test
    void otherConfigurationsAreLeftAlone() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.pid", "org.apache.felix.http");
        props.put("host", "$[env:HOST]");
        new PlainKeyReferences().modifyConfiguration(null, props);
        assertEquals("$[env:HOST]", props.get("host"));
        assertFalse(PlainKeyReferences.refersToSecret("$[conf:x]"));
    }
}
