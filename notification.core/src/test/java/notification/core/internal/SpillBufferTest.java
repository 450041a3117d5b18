package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a message being rendered is kept (memory up to a limit, then a file that sync makes durable) and how a stored
 * message is read back (exactly its length, an early end is an error).
 */
class SpillBufferTest {
    @TempDir
    Path dir;
    private final PowerCutFiles disk = new PowerCutFiles();

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    private SpillBuffer buffer(int limit) {
        return new SpillBuffer(limit, dir.resolve("m.tmp"), disk.session());
    }

    @Test
    void aMessageUpToTheLimitStaysInMemoryWhateverTheWriteSizes() throws Exception {
        byte[] m = bytes(3000);
        SpillBuffer b = buffer(3000);
        b.write(m[0]);
        for (int off = 1; off < m.length; off += 7) {
            b.write(m, off, Math.min(7, m.length - off));
        }
        assertTrue(b.inMemory());
        assertEquals(3000, b.length());
        assertArrayEquals(m, Arrays.copyOf(b.bytes(), 3000));
        assertFalse(Files.exists(dir.resolve("m.tmp")));
    }

    @Test
    void oneByteBeyondTheLimitMovesEverythingToTheSpillFile() throws Exception {
        byte[] m = bytes(101);
        SpillBuffer b = buffer(100);
        b.write(m, 0, 60);
        b.write(m, 60, 40);
        assertTrue(b.inMemory());
        b.write(m[100]);
        assertFalse(b.inMemory());
        b.write(m, 0, 5);
        b.sync();
        assertEquals(106, b.length());
        byte[] expected = Arrays.copyOf(m, 106);
        System.arraycopy(m, 0, expected, 101, 5);
        assertArrayEquals(expected, Files.readAllBytes(b.spillFile()));
    }

    @Test
    void aSyncedSpillFileSurvivesAPowerCut() throws Exception {
        SpillBuffer b = buffer(10);
        b.write(bytes(500), 0, 500);
        b.sync();
        disk.powerCut();
        assertArrayEquals(bytes(500), Files.readAllBytes(dir.resolve("m.tmp")));
    }

    @Test
    void discardRemovesTheSpillFile() throws Exception {
        SpillBuffer b = buffer(10);
        b.write(bytes(50), 0, 50);
        b.discard();
        assertFalse(Files.exists(dir.resolve("m.tmp")));
        SpillBuffer small = buffer(10);
        small.write(bytes(5), 0, 5);
        small.discard();
        assertTrue(small.inMemory());
    }

    @Test
    void syncClosesTheSpillFile() throws Exception {
        SpillBuffer b = buffer(10);
        b.write(bytes(50), 0, 50);
        assertEquals(List.of(dir.resolve("m.tmp")), disk.openFiles());
        b.sync();
        assertEquals(List.of(), disk.openFiles(), "a synced message is moved into place, not written any more");
    }

    @Test
    void discardClosesTheSpillFileItDeletes() throws Exception {
        SpillBuffer b = buffer(10);
        b.write(bytes(50), 0, 50);
        b.discard();
        assertEquals(List.of(), disk.openFiles());
    }

    @Test
    void aBoundedStreamReadsExactlyItsLength() throws Exception {
        byte[] m = bytes(100);
        try (InputStream in = new BoundedInputStream(new ByteArrayInputStream(m), 10)) {
            assertEquals(10, in.available());
            assertEquals('a', in.read());
            byte[] buf = new byte[50];
            assertEquals(9, in.read(buf, 0, 50));
            assertArrayEquals(Arrays.copyOfRange(m, 1, 10), Arrays.copyOf(buf, 9));
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(buf, 0, 50));
            assertEquals(0, in.available());
        }
        try (InputStream in = new BoundedInputStream(new ByteArrayInputStream(m), 10)) {
            assertEquals(10, in.skip(40));
            assertEquals(-1, in.read());
            assertFalse(in.markSupported());
        }
        try (InputStream in = new BoundedInputStream(new ByteArrayInputStream(m), 10)) {
            assertEquals(4, in.skip(4));
            assertEquals('e', in.read());
            assertEquals(5, in.available());
        }
    }

    @Test
    void aStoredMessageThatEndsEarlyIsAnError() throws Exception {
        try (InputStream in = new BoundedInputStream(new ByteArrayInputStream(bytes(3)), 5)) {
            assertEquals(3, in.read(new byte[10], 0, 10));
            assertEquals("the stored message ends early",
                    assertThrows(IOException.class, () -> in.read(new byte[10], 0, 10)).getMessage());
        }
        try (InputStream in = new BoundedInputStream(new ByteArrayInputStream(bytes(1)), 2)) {
            assertEquals('a', in.read());
            assertEquals("the stored message ends early", assertThrows(IOException.class, in::read).getMessage());
        }
    }
}
