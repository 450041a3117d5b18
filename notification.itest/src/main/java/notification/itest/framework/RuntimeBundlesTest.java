package notification.itest.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.test.common.annotation.InjectBundleContext;

/** Checks that the product's bundle set resolves and starts: no bundle left installed, resolved or stopped. */
class RuntimeBundlesTest {

    @InjectBundleContext
    BundleContext context;

    @Test
    void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " (state " + b.getState() + ")");
            }
        }
        assertEquals(List.of(), notActive, "bundles not active");
    }

    @Test
    void productBundlesArePresent() {
        List<String> names = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            names.add(b.getSymbolicName());
        }
        for (String expected : List.of("notification.api", "notification.core", "notification.smtp",
                "notification.relay", "notification.oauth", "notification.webconsole", "org.apache.felix.webconsole",
                "org.apache.felix.http.jetty12", "org.apache.felix.scr", "org.apache.felix.configadmin",
                "org.apache.felix.fileinstall", "org.eclipse.angus.mail")) {
            assertTrue(names.contains(expected), expected + " is missing from " + names);
        }
    }
}
