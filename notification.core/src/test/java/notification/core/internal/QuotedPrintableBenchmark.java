package notification.core.internal;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Benchmark (not a test): the hand-written quoted-printable encoder against Angus Mail's ({@code MimeUtility.encode},
 * as a renderer would call it per message, and its QPEncoderStream directly) on the same random texts; prints nanoseconds per message body. Run:
 * {@code java -cp <test classpath> notification.core.internal.QuotedPrintableBenchmark}.
 */
public final class QuotedPrintableBenchmark {
    private QuotedPrintableBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Random random = new Random(2045);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            texts.add(QuotedPrintableTest.randomText(random));
        }
        for (int round = 1; round <= 5; round++) {
            long ours = time(texts, 0);
            long lookup = time(texts, 1);
            long stream = time(texts, 2);
            System.out.printf("round %d: hand-written %,d ns/body; Angus Mail MimeUtility.encode %,d ns/body (%.1fx);"
                    + " Angus QPEncoderStream directly %,d ns/body (%.1fx)%n", round, ours, lookup,
                    (double) lookup / ours, stream, (double) stream / ours);
        }
    }

    private static long time(List<String> texts, int encoder) throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        long start = System.nanoTime();
        for (String text : texts) {
            sink.reset();
            if (encoder == 0) {
                QuotedPrintable.write(text, sink);
                continue;
            }
            try (OutputStream qp = encoder == 1 ? MimeUtility.encode(sink, "quoted-printable")
                    : new org.eclipse.angus.mail.util.QPEncoderStream(sink)) {
                qp.write(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return (System.nanoTime() - start) / texts.size();
    }
}
