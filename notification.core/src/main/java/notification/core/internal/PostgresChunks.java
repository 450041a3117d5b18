package notification.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A stored message as rows of at most {@link #CHUNK} bytes ({@code outbox_chunk}): the driver reads a {@code bytea}
 * whole, so a 35 MB scan is written and read one chunk at a time and never held whole in the heap. (A small message
 * is kept in its entry's row instead; the reader finds it there.)
 */
final class PostgresChunks {
    static final int CHUNK = 1 << 20;

    private PostgresChunks() {
    }

    /**
     * Writes a spilled (large) message as chunks within the caller's transaction; a small one is stored with its
     * entry instead.
     *
     * @param c the connection, in a transaction
     * @param id the entry's id
     * @param body the rendered message, spilled to its file
     * @throws SQLException if a row cannot be written
     * @throws IOException if the spilled message cannot be read back
     */
    static void write(Connection c, String id, SpillBuffer body) throws SQLException, IOException {
        body.sync();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO outbox_chunk (entry_id, seq, data) VALUES (?, ?, ?)");
                InputStream in = Files.newInputStream(body.spillFile())) {
            p.setString(1, id);
            int seq = 0;
            for (byte[] chunk = in.readNBytes(CHUNK); chunk.length > 0; chunk = in.readNBytes(CHUNK)) {
                insert(p, seq++, chunk);
            }
        }
    }

    private static void insert(PreparedStatement p, int seq, byte[] data) throws SQLException {
        p.setInt(2, seq);
        p.setBytes(3, data);
        p.executeUpdate();
    }

    /**
     * Opens a stored message for reading; each chunk is fetched when the reader reaches it, with a connection taken
     * from the pool only for that fetch.
     *
     * @param connections the pool's connections
     * @param id the entry's id
     * @param size the message's size in bytes
     * @param lostConnection called when a read fails because the database cannot be reached (the message is not
     *        damaged)
     * @return the stream
     */
    static InputStream open(PostgresConnections connections, String id, long size, Runnable lostConnection) {
        return new ChunkStream(connections, id, size, lostConnection);
    }

    /** Reads the chunks in order; a missing chunk or a lost connection is an {@link IOException}. */
    private static final class ChunkStream extends InputStream {
        private final PostgresConnections connections;
        private final String id;
        private final long size;
        private final Runnable lostConnection;
        private byte[] chunk = new byte[0];
        private int pos;
        private int seq;
        private long read;

        ChunkStream(PostgresConnections connections, String id, long size, Runnable lostConnection) {
            this.connections = connections;
            this.lostConnection = lostConnection;
            this.id = id;
            this.size = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos == chunk.length && !fetch()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            read += n;
            return n;
        }

        private boolean fetch() throws IOException {
            while (read < size) {
                try (Connection c = connections.take();
                        PreparedStatement p = c.prepareStatement(
                                "SELECT data FROM outbox_chunk WHERE entry_id = ? AND seq = ? UNION ALL SELECT message"
                                + " FROM outbox_entry WHERE id = ? AND message IS NOT NULL AND ? = 0 LIMIT 1")) {
                    // a small message is kept whole in its entry's row instead of a chunk
                    p.setString(1, id);
                    p.setInt(2, seq);
                    p.setString(3, id);
                    p.setInt(4, seq++);
                    try (ResultSet r = p.executeQuery()) {
                        if (!r.next()) {
                            throw new IOException("the stored message of " + id + " is missing from the database"
                                    + " after " + read + " of " + size + " bytes");
                        }
                        chunk = r.getBytes(1);
                        pos = 0;
                    }
                } catch (SQLException e) {
                    if (PostgresProblems.unreachable(e)) {
                        lostConnection.run();
                    }
                    throw new IOException("the stored message of " + id + " cannot be read from the database: "
                            + e.getMessage(), e);
                }
                if (chunk.length > 0) {
                    return true;
                }
            }
            return false;
        }
    }
}
