package notification.core.internal;

import jakarta.mail.NoSuchProviderException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * Runs Jakarta Mail work with the mail implementation's class loader as context class loader, so that MIME handlers
 * (multipart, text) are found inside OSGi as well as on a plain class path.
 */
public final class MailClassLoader {
    private final Session session;
    private final ClassLoader loader;

    /** Finds the class loader of the mail implementation through a session's SMTP provider. */
    public MailClassLoader() {
        this.session = Session.getInstance(new Properties());
        this.loader = implementationLoader(session);
    }

    /**
     * Returns a session for building and parsing messages (never used to connect).
     *
     * @return the session
     */
    public Session session() {
        return session;
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
        t.setContextClassLoader(loader);
        try {
            return work.call();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    private static ClassLoader implementationLoader(Session session) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try {
            Thread.currentThread().setContextClassLoader(MailClassLoader.class.getClassLoader());
            Transport smtp = session.getTransport("smtp");
            return smtp.getClass().getClassLoader();
        } catch (NoSuchProviderException | RuntimeException e) {
            return previous != null ? previous : Session.class.getClassLoader();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
