package notification.itest.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits inside the framework for a condition that services reach on their own threads, failing with what it waited for. */
public final class Await {
    private Await() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @param timeout how long to wait at most
     * @param what what is awaited, for the failure message
     * @param condition the condition, asked every 20 ms
     * @throws AssertionError if it does not hold within {@code timeout}
     * @throws InterruptedException if the test thread is interrupted
     */
    public static void until(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
