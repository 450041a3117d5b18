package notification.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;

/**
 * Bounds every write to the SMTP server without a timer per write: the sockets it creates note when a write starts,
 * and one periodic check closes those whose write has lasted longer than the write timeout (the blocked write then
 * fails). A write is thus cut off after between 1 and 1.25 times the write timeout.
 */
final class WriteWatchdog extends SocketFactory {
    private final long timeoutNanos;
    private final Set<WatchedSocket> sockets = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> checks;
    private volatile boolean retired;

    /**
     * Starts the periodic check.
     *
     * @param timeoutMs the longest a single write may take
     * @param timer runs the check
     */
    WriteWatchdog(int timeoutMs, ScheduledExecutorService timer) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long period = Math.max(timeoutMs / 4, 10);
        this.checks = timer.scheduleWithFixedDelay(this::closeStuckSockets, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public Socket createSocket() {
        WatchedSocket socket = new WatchedSocket(this);
        sockets.add(socket);
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null, 0);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null, 0);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), localAddress, localPort);
    }

    private Socket connected(InetSocketAddress server, InetAddress localAddress, int localPort) throws IOException {
        Socket socket = createSocket();
        try {
            if (localAddress != null || localPort != 0) {
                socket.bind(new InetSocketAddress(localAddress, localPort));
            }
            socket.connect(server);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Stops the checks once the sockets still open are closed (after a new configuration). */
    void retire() {
        retired = true;
        closeStuckSockets();
    }

    /** Returns how many sockets are watched (for tests). */
    int watchedSockets() {
        return sockets.size();
    }

    void forget(WatchedSocket socket) {
        sockets.remove(socket);
    }

    private void closeStuckSockets() {
        long now = System.nanoTime();
        for (WatchedSocket socket : sockets) {
            if (socket.isClosed()) {
                sockets.remove(socket);
            } else if (socket.writingLongerThan(now, timeoutNanos)) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closed either way: the blocked write fails
                }
            }
        }
        if (retired && sockets.isEmpty()) {
            checks.cancel(false);
        }
    }
}
