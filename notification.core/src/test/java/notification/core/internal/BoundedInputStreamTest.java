package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** One stored message read byte by byte: every byte value is data, only the stream's end is an end. */
class BoundedInputStreamTest {

    @Test
    void aZeroByteIsReadAsDataNotAsAnEarlyEnd() throws Exception {
        byte[] stored = {'a', 0, (byte) 0xff, 'b', 'c'};
        try (InputStream in = new BoundedInputStream(new ByteArrayInputStream(stored), 4)) {
            assertEquals('a', in.read());
            assertEquals(0, in.read());
            assertEquals(0xff, in.read());
            assertEquals('b', in.read());
            assertEquals(-1, in.read());
        }
    }
}
