package notification.oauth.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport's sign-in in the database all nodes share ({@link TokenTable}), sealed with the administrator's
 * {@code tokenKey}: a sign-in on any node serves all, and a refresh runs under the transport's advisory lock. On
 * first use the table is created, and a sign-in this node kept in its token folder is copied in when the database
 * holds no authorization for the transport yet (the folder is kept), so a node that moves to the shared store stays
 * authorized.
 */
final class SharedTokens implements TokenEntries {

    private static final Logger LOG = LoggerFactory.getLogger(SharedTokens.class);
    private static final List<String> PLAIN = List.of(TokenBinding.FILE, AuthorizationFile.FILE);
    private static final List<Sealed> SEALED = List.of(Sealed.MSAL_CACHE, Sealed.GOOGLE_TOKENS);

    private final TokenTable table;
    private final TokenKey key;
    private final String transport;
    private final TokenFolder local;
    private boolean ready;

    /**
     * Creates the place; nothing is read before the first use.
     *
     * @param table the shared table
     * @param key the key from {@code tokenKey}, scoped to the transport
     * @param transport the transport's name
     * @param local this node's token folder, copied in on first use when the database has nothing yet
     */
    SharedTokens(TokenTable table, TokenKey key, String transport, TokenFolder local) {
        this.table = table;
        this.key = key;
        this.transport = transport;
        this.local = local;
    }

    /**
     * Chooses where a transport keeps its sign-in: the database when the outbox is shared there and a valid
     * {@code tokenKey} is set, otherwise this node's token folder (with a notice when only one of them is there).
     *
     * @param folder this node's token folder
     * @param outbox the outbox's shared database, or {@code null}
     * @param tokenKey the configured key, or empty
     * @param transport the transport's name
     * @return the place
     */
    static TokenEntries place(Path folder, DataSource outbox, String tokenKey, String transport) {
        boolean keyed = !tokenKey.isEmpty();
        if (outbox != null && keyed && TokenKey.problem(tokenKey).isEmpty()) {
            return new SharedTokens(new TokenTable(outbox), TokenKey.shared(tokenKey, transport), transport,
                    new TokenFolder(folder));
        }
        if (outbox != null && !keyed) {
            return new TokenFolder(folder, "The outbox is shared in PostgreSQL, but this transport's sign-in is kept "
                    + "on this node only: set tokenKey (the same secret on every node) so that one Authorize serves "
                    + "all nodes.");
        }
        if (outbox == null && keyed) {
            return new TokenFolder(folder, "tokenKey is set, but the outbox is not in PostgreSQL (notification.core "
                    + "store=postgresql), so the sign-in is kept in this node's token folder.");
        }
        return new TokenFolder(folder);
    }

    @Override
    public Optional<byte[]> read(String entry) throws IOException {
        ready();
        try {
            return table.read(transport, entry);
        } catch (SQLException e) {
            throw new IOException(problem(e));
        }
    }

    @Override
    public void write(String entry, byte[] content) throws IOException {
        ready();
        try {
            table.write(transport, entry, content);
        } catch (SQLException e) {
            throw new IOException(problem(e));
        }
    }

    @Override
    public TokenKey key() {
        return key;
    }

    @Override
    public <T, E extends Exception> T exclusive(Work<T, E> work) throws E, TokenUnavailableException {
        try {
            ready();
            return table.locked(transport, work);
        } catch (IOException e) {
            throw new TokenUnavailableException(false, e.getMessage());
        } catch (SQLException e) {
            throw new TokenUnavailableException(false, problem(e));
        }
    }

    @Override
    public String unreadable(String what) {
        return "The " + what + " shared in the database cannot be opened: this node's tokenKey differs from the one "
                + "that encrypted the shared sign-in; give every node the same secret. (Authorize here only if that "
                + "key is lost: a new sign-in replaces the shared one for every node.)";
    }

    @Override
    public boolean shared() {
        return true;
    }

    private synchronized void ready() throws IOException {
        if (ready) {
            return;
        }
        try {
            table.migrate();
            table.locked(transport, () -> {
                if (table.read(transport, AuthorizationFile.FILE).isEmpty()) {
                    copyFromFolder();
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IOException(problem(e));
        }
        ready = true;
    }

    private void copyFromFolder() throws SQLException {
        try {
            if (local.read(AuthorizationFile.FILE).isEmpty()) {
                return;
            }
            for (Sealed entry : SEALED) {
                Optional<byte[]> plain = local.open(entry);
                if (plain.isPresent()) {
                    table.write(transport, entry.name(), key.seal(entry.magic(), entry.context(), plain.get()));
                }
            }
            for (String entry : PLAIN) { // the authorization last: it is what says a copy is complete
                Optional<byte[]> content = local.read(entry);
                if (content.isPresent()) {
                    table.write(transport, entry, content.get());
                }
            }
            LOG.info("Transport {}: the sign-in kept in {} was copied to the shared database (the folder is kept)",
                    transport, local.directory());
        } catch (IOException | GeneralSecurityException e) {
            LOG.warn("Transport {}: the sign-in kept in {} cannot be copied to the shared database ({}); sign in "
                    + "again with Authorize", transport, local.directory(), e.getClass().getSimpleName());
        }
    }

    private String problem(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String reason = state.startsWith("08") ? "the database cannot be reached"
                : Diagnostics.firstLine(e.getMessage());
        return "The sign-in of transport " + transport + " is shared in the database, which cannot be used now ("
                + reason + "); mail waits until it can.";
    }

    @Override
    public String toString() {
        return "the database shared by all nodes";
    }
}
