package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A record's bytes whatever its writer first guessed its size to be. */
class RecordWriterTest {

    @Test
    void numbersWrittenOnceTheGuessedSizeIsFilledStillFitAndFollowInOrder() {
        RecordWriter out = new RecordWriter(0); // room for 64 payload bytes
        byte[] filler = new byte[64];
        out.write(filler, 0, filler.length);
        out.writeInt(0x01020304);
        out.writeLong(0x05060708090a0b0cL);
        out.writeByte(0x0d);

        ByteBuffer payload = ByteBuffer.allocate(64 + 4 + 8 + 1);
        payload.put(filler).putInt(0x01020304).putLong(0x05060708090a0b0cL).put((byte) 0x0d);
        ByteBuffer framed = ByteBuffer.allocate(EntryCodec.HEADER + payload.capacity());
        framed.putInt(EntryCodec.MAGIC).putInt(payload.capacity())
                .putInt(EntryCodec.crc(payload.array(), 0, payload.capacity())).put(payload.array());
        assertArrayEquals(framed.array(), out.framed());
    }

    @Test
    void aByteWrittenOnceTheGuessedSizeIsFilledStillFits() {
        RecordWriter out = new RecordWriter(0); // room for 64 payload bytes
        byte[] filler = new byte[64];
        out.write(filler, 0, filler.length);
        out.writeByte(0x7f);

        byte[] payload = new byte[65];
        payload[64] = 0x7f;
        ByteBuffer framed = ByteBuffer.allocate(EntryCodec.HEADER + payload.length);
        framed.putInt(EntryCodec.MAGIC).putInt(payload.length).putInt(EntryCodec.crc(payload, 0, payload.length))
                .put(payload);
        assertArrayEquals(framed.array(), out.framed());
    }
}
