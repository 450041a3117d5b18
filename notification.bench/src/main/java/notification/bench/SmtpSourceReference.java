package notification.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Reference 1: Postfix's smtp-source, a C client reusing its connections ({@code -d}), against the same sink. */
final class SmtpSourceReference {

    private SmtpSourceReference() {
    }

    /**
     * Sends messages and returns how long it took.
     *
     * @return elapsed nanoseconds
     */
    static long run(Path program, int port, int messages, int sessions, int bodyBytes)
            throws IOException, InterruptedException {
        SmtpSinkProcess.requireExecutable(program);
        List<String> command = List.of(program.toString(), "-d", "-s", Integer.toString(sessions),
                "-m", Integer.toString(messages), "-l", Integer.toString(bodyBytes),
                "-f", "scanner@example.com", "-t", "jane@example.com", "127.0.0.1:" + port);
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        long elapsed = System.nanoTime() - start;
        if (exit != 0) {
            throw new IllegalStateException("smtp-source failed (" + exit + "): " + output);
        }
        return elapsed;
    }
}
