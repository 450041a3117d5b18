package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a stored message: exactly its range of the file, and a file cut short is refused before anything is read. */
class BodyLocationTest {
    @TempDir
    Path dir;

    @Test
    void aMessageIsReadFromItsOffsetForItsLength() throws Exception {
        Path file = Files.write(dir.resolve("journal-000000000001.log"),
                "....Subject: x\r\n\r\nbody....".getBytes(StandardCharsets.US_ASCII));
        try (InputStream in = new BodyLocation(file, 4, 18, false).open()) {
            assertArrayEquals("Subject: x\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII), in.readAllBytes());
        }
    }

    @Test
    void aFileShorterThanTheMessageEndIsRefusedAtOpen() throws Exception {
        Path file = Files.write(dir.resolve("entry-0001.eml"), new byte[100]);
        BodyLocation cutShort = new BodyLocation(file, 60, 41, true); // ends one byte beyond the file
        IOException e = assertThrows(IOException.class, cutShort::open);
        assertEquals("the stored message in entry-0001.eml is truncated", e.getMessage());
        try (InputStream in = new BodyLocation(file, 60, 40, true).open()) {
            assertEquals(40, in.readAllBytes().length, "one that ends with the file is whole");
        }
    }
}
