package notification.webconsole.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import notification.api.transport.MailTransport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;

/**
 * Waits, bounded, until a saved transport configuration is in effect: the transport service (found by the API's
 * naming rule) was registered or updated after the save, has stayed so for a moment, and the delivery order names
 * it first. The moment matters because one save can change the configuration twice (the file sync moves a typed
 * secret into conf/secrets and stores a reference), and the transport is then published, withdrawn and published
 * again. Start it before saving.
 */
final class ConfigurationInEffect implements AutoCloseable {
    /** How long the transport's service must stay unchanged before the change counts as in effect. */
    static final Duration SETTLED = Duration.ofMillis(1000);

    private final BundleContext context;
    private final CountDownLatch transportChanged = new CountDownLatch(1);
    private volatile long lastEvent = System.nanoTime();
    private final ServiceListener listener = event -> {
        lastEvent = System.nanoTime();
        if (event.getType() == ServiceEvent.REGISTERED || event.getType() == ServiceEvent.MODIFIED) {
            countDown();
        }
    };

    /**
     * Starts listening for the transport's service.
     *
     * @param context the bundle context
     * @param transportName the transport's name
     */
    ConfigurationInEffect(BundleContext context, String transportName) {
        this.context = context;
        try {
            String name = escape(transportName);
            context.addServiceListener(listener, "(&(objectClass=" + MailTransport.class.getName() + ")(|("
                    + MailTransport.NAME + "=" + name + ")(name=" + name + ")(service.pid=*~" + name + ")))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("transport name " + transportName, e);
        }
    }

    private void countDown() {
        transportChanged.countDown();
    }

    /**
     * Waits until the transport changed, its service has been unchanged for {@link #SETTLED}, and {@code inOrder}
     * holds.
     *
     * @param timeout the longest wait
     * @param inOrder tells whether the delivery order shows the transport where it should be
     * @return whether both happened in time
     */
    boolean await(Duration timeout, BooleanSupplier inOrder) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!transportChanged.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            while (System.nanoTime() - lastEvent < SETTLED.toNanos() || !inOrder.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(50);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        context.removeServiceListener(listener);
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
