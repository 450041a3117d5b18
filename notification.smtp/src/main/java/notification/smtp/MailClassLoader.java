package notification.smtp;

import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Runs Jakarta Mail code with the Angus Mail bundle's class loader as context class loader: in OSGi, Jakarta Mail
 * finds its providers and MIME handlers only that way (multipart messages fail without it).
 */
public final class MailClassLoader {

    private MailClassLoader() {
    }

    /**
     * Work that Jakarta Mail must do with its own class loader as context class loader.
     *
     * @param <T> the result
     * @param <E> the exception it may throw
     */
    @FunctionalInterface
    public interface MailWork<T, E extends Exception> {
        /**
         * Does the work.
         *
         * @return the result
         * @throws E as the work fails
         */
        T run() throws E;
    }

    /**
     * Runs work with the Angus Mail bundle's class loader as context class loader, then restores the previous one.
     *
     * @param <T> the result
     * @param <E> the exception the work may throw
     * @param work the work
     * @return what the work returned
     * @throws E what the work threw
     */
    public static <T, E extends Exception> T call(MailWork<T, E> work) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SMTPTransport.class.getClassLoader());
        try {
            return work.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
