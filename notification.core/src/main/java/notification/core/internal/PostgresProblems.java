package notification.core.internal;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** Turns what PostgreSQL and its driver report into a sentence that says what is wrong and what to do about it. */
final class PostgresProblems {

    private PostgresProblems() {
    }

    /**
     * Whether a failure means the database cannot be reached (rather than a statement being wrong).
     *
     * @param e the failure
     * @return true for connection failures, a server shutting down, or an exhausted pool
     */
    static boolean unreachable(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || state == null || state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")
                || state.equals("28P01") || state.equals("28000") || state.equals("3D000");
    }

    /**
     * Whether a statement failed because its connection had already died (the server restarted or ended the session),
     * so that another connection may work at once; a connection whose answer did not come in time is not one.
     *
     * @param e the failure of a statement on a lent connection
     * @return true for a connection-class or server-shutdown state not caused by a time-out
     */
    static boolean deadConnection(SQLException e) {
        String state = e.getSQLState();
        if (state == null || !(state.startsWith("08") || state.startsWith("57P"))) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return false;
            }
        }
        return true;
    }

    /**
     * Describes a failure in one sentence with its fix; never includes a password.
     *
     * @param e the failure
     * @param target the database's URL, without credentials
     * @param user the user name
     * @return the sentence
     */
    static String describe(SQLException e, String target, String user) {
        SQLException root = rootOf(e);
        String state = root.getSQLState() == null ? "" : root.getSQLState();
        String reason = root.getMessage();
        switch (state) {
            case "28P01":
                return "PostgreSQL at " + target + " refused the password of user '" + user + "' (28P01): check"
                        + " jdbcPassword in conf/notification.core.cfg (and the secret file it names), or set the"
                        + " user's password on the server with ALTER ROLE " + user + " PASSWORD '...'";
            case "28000":
                return "PostgreSQL at " + target + " does not let user '" + user + "' connect from this host (28000):"
                        + " add a line for it to the server's pg_hba.conf, or fix jdbcUser";
            case "3D000":
                return "the database of " + target + " does not exist (3D000): create it on the server (createdb -O "
                        + user + " NAME) or fix the database name in jdbcUrl";
            default:
                if (state.startsWith("08") || state.isEmpty() && reason != null && reason.contains("onnect")) {
                    return "PostgreSQL at " + target + " cannot be reached (" + reason + "): check that the server"
                            + " runs and that the host and port in jdbcUrl are right";
                }
                return "PostgreSQL at " + target + " failed (" + (state.isEmpty() ? "" : state + ": ") + reason + ")";
        }
    }

    private static SQLException rootOf(SQLException e) {
        SQLException found = e;
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                found = s;
            }
        }
        return found.getSQLState() == null && e.getNextException() != null ? e.getNextException() : found;
    }
}
