package notification.smtp;

import java.util.function.Supplier;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/** Runs Jakarta Mail code with the Angus Mail bundle's class loader as context class loader (needed in OSGi). */
final class MailClassLoader {

    private MailClassLoader() {
    }

    static <T> T call(Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SMTPTransport.class.getClassLoader());
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
