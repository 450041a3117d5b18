package notification.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time used by a server's processes (PostgreSQL: the postmaster listening on a port and its children, the
 * backends), read from /proc; -1 where there is no /proc. With the benchmark JVM's own CPU time it gives the cost of a
 * message that does not depend on how busy the machine is.
 */
final class ServerCpu {
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ is 100 on Linux

    private ServerCpu() {
    }

    /**
     * The CPU time, in nanoseconds, of the PostgreSQL server listening on a port and of its children.
     *
     * @param port the server's port
     * @return the time, or -1 if it cannot be read
     */
    static long postgresNanos(int port) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            long[] master = {-1};
            String[] stats = procs.filter(p -> p.getFileName().toString().matches("\\d+")).map(p -> {
                try {
                    String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    if (cmd.contains("postgres") && cmd.contains("-p " + port + " ")) {
                        master[0] = Long.parseLong(p.getFileName().toString());
                    }
                    return Files.readString(p.resolve("stat"));
                } catch (IOException | RuntimeException gone) {
                    return null; // the process ended meanwhile
                }
            }).filter(s -> s != null).toArray(String[]::new);
            if (master[0] < 0) {
                return -1;
            }
            long ticks = 0;
            for (String stat : stats) {
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long pid = Long.parseLong(stat.substring(0, stat.indexOf(' ')));
                long ppid = Long.parseLong(f[1]);
                if (pid == master[0] || ppid == master[0]) {
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                }
            }
            return ticks * TICK_NANOS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
