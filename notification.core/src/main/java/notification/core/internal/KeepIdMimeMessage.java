package notification.core.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A stored message parsed for a transport: its Message-ID survives {@code saveChanges()}, so every attempt carries
 * the same one, and MIME work runs with the mail implementation's context class loader (needed inside OSGi).
 */
final class KeepIdMimeMessage extends MimeMessage {
    private final MailClassLoader mail;

    KeepIdMimeMessage(Session session, InputStream in, MailClassLoader mail) throws MessagingException {
        super(session, in);
        this.mail = mail;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
        if (getHeader("Message-ID") == null) {
            super.updateMessageID();
        }
    }

    @Override
    public void saveChanges() throws MessagingException {
        try {
            withMailLoader(() -> {
                super.saveChanges();
                return null;
            });
        } catch (IOException e) {
            throw new MessagingException(e.getMessage(), e);
        }
    }

    @Override
    public Object getContent() throws IOException, MessagingException {
        return withMailLoader(super::getContent);
    }

    @Override
    public void writeTo(OutputStream os, String[] ignoreList) throws IOException, MessagingException {
        withMailLoader(() -> {
            super.writeTo(os, ignoreList);
            return null;
        });
    }

    private interface MailWork<T> {
        T run() throws IOException, MessagingException;
    }

    private <T> T withMailLoader(MailWork<T> work) throws IOException, MessagingException {
        try {
            return mail.call(work::run);
        } catch (IOException | MessagingException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new MessagingException(e.getMessage(), e);
        }
    }
}
