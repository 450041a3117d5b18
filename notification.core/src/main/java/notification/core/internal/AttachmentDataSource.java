package notification.core.internal;

import jakarta.activation.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import notification.api.Attachment;

/** Streams an attachment's content into a MIME part without loading it whole into memory. */
final class AttachmentDataSource implements DataSource {
    private final Attachment attachment;

    AttachmentDataSource(Attachment attachment) {
        this.attachment = attachment;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return attachment.open();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        throw new IOException("attachments are read-only");
    }

    @Override
    public String getContentType() {
        return attachment.mediaType();
    }

    @Override
    public String getName() {
        return attachment.fileName();
    }
}
