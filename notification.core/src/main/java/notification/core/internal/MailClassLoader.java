package notification.core.internal;

import jakarta.mail.NoSuchProviderException;
import jakarta.mail.Session;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Runs Jakarta Mail work with the mail implementation's class loader as context class loader, so that MIME handlers
 * (multipart, text) and stream providers are found inside OSGi as well as on a plain class path.
 */
public final class MailClassLoader {
    private final Supplier<Object> implementation;
    private volatile ClassLoader loader;

    /**
     * Creates the scope.
     *
     * @param implementation supplies an object from the mail implementation (inside OSGi its StreamProvider service),
     *        or null when there is none; then the implementation is looked up through a session's SMTP provider
     */
    public MailClassLoader(Supplier<Object> implementation) {
        this.implementation = implementation;
    }

    /**
     * Runs work with the mail implementation's class loader as the thread's context class loader.
     *
     * @param work the work
     * @param <T> the result type
     * @return the work's result
     * @throws Exception what the work throws
     */
    public <T> T call(Callable<T> work) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader());
        try {
            return work.call();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    private ClassLoader loader() {
        ClassLoader l = loader;
        if (l != null) {
            return l;
        }
        Object impl = implementation.get();
        if (impl != null) {
            l = impl.getClass().getClassLoader();
        } else {
            l = throughSession();
        }
        if (l != null) {
            loader = l;
            return l;
        }
        return Session.class.getClassLoader();
    }

    private static ClassLoader throughSession() {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        try {
            t.setContextClassLoader(MailClassLoader.class.getClassLoader());
            return Session.getInstance(new Properties()).getTransport("smtp").getClass().getClassLoader();
        } catch (NoSuchProviderException | RuntimeException | java.util.ServiceConfigurationError e) {
            return null;
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
