package notification.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What PostgreSQL and its driver report: a database that cannot be used pauses deliveries (and is not retried entry
 * by entry), a wrong statement does not; each failure is one sentence with its fix.
 */
class PostgresProblemsTest {
    private static final String TARGET = "jdbc:postgresql://db.example.org:5432/notifications";

    @ParameterizedTest
    @ValueSource(strings = {"08001", "08006", "57P01", "57P03", "53300", "53100", "28P01", "28000", "3D000"})
    void aLostRefusedOrOverloadedConnectionMeansTheDatabaseIsUnreachable(String state) {
        assertTrue(PostgresProblems.unreachable(new SQLException("x", state)), state);
    }

    @Test
    void aFailureWithoutStateOrFromTheDriversConnectionExceptionsMeansUnreachable() {
        assertTrue(PostgresProblems.unreachable(new SQLException("no state")));
        assertTrue(PostgresProblems.unreachable(new SQLTransientConnectionException("pool exhausted", "99999")));
        assertTrue(PostgresProblems.unreachable(new SQLNonTransientConnectionException("closed", "99999")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"08003", "08006", "57P01", "57P02"})
    void aStatementOnAConnectionThatDiedIsWorthTryingOnAnother(String state) {
        assertTrue(PostgresProblems.deadConnection(new SQLException("x", state, new EOFException())), state);
    }

    @ParameterizedTest
    @ValueSource(strings = {"53300", "53100", "28P01", "3D000", "23505", "40P01"})
    void aFullDiskAFullServerOrAWrongStatementIsNotADeadConnection(String state) {
        assertFalse(PostgresProblems.deadConnection(new SQLException("x", state)), state);
    }

    @Test
    void aConnectionWhoseAnswerTimedOutOrAFailureWithoutStateIsNotTriedOnAnother() {
        SQLException timedOut = new SQLException("An I/O error occurred while sending to the backend.", "08006",
                new IOException("wrapped", new SocketTimeoutException("Read timed out")));
        assertFalse(PostgresProblems.deadConnection(timedOut));
        assertFalse(PostgresProblems.deadConnection(new SQLException("no state")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "42601", "40P01", "57014", "28P02", "3D001", "22001"})
    void aStatementThatFailsOnAWorkingDatabaseIsNotAnOutage(String state) {
        assertFalse(PostgresProblems.unreachable(new SQLException("x", state)), state);
    }

    @Test
    void aWrongPasswordNamesTheUserAndWhereThePasswordIsSet() {
        assertEquals("PostgreSQL at " + TARGET + " refused the password of user 'notify' (28P01): check"
                + " jdbcPassword in conf/notification.core.cfg (and the secret file it names), or set the user's"
                + " password on the server with ALTER ROLE notify PASSWORD '...'", describe("auth failed", "28P01"));
    }

    @Test
    void aHostThatTheServerDoesNotLetInIsToldToFixPgHba() {
        assertEquals("PostgreSQL at " + TARGET + " does not let user 'notify' connect from this host (28000): add a"
                + " line for it to the server's pg_hba.conf, or fix jdbcUser", describe("no pg_hba.conf entry", "28000"));
    }

    @Test
    void aMissingDatabaseIsToldHowToCreateIt() {
        assertEquals("the database of " + TARGET + " does not exist (3D000): create it on the server (createdb -O"
                + " notify NAME) or fix the database name in jdbcUrl", describe("no such database", "3D000"));
    }

    @Test
    void aServerThatCannotBeReachedIsToldToCheckHostAndPort() {
        String expected = "PostgreSQL at " + TARGET + " cannot be reached (Connection refused): check that the"
                + " server runs and that the host and port in jdbcUrl are right";
        assertEquals(expected, describe("Connection refused", "08001"));
        assertEquals(expected, describe("Connection refused", null), "the driver gives no state when it never got in");
    }

    @Test
    void anyOtherFailureCarriesItsStateAndReason() {
        assertEquals("PostgreSQL at " + TARGET + " failed (23505: duplicate key)", describe("duplicate key", "23505"));
        assertEquals("PostgreSQL at " + TARGET + " failed (out of memory)", describe("out of memory", null));
        assertTrue(describe(null, null).startsWith("PostgreSQL at " + TARGET + " failed ("));
    }

    @Test
    void theSentenceComesFromTheInnermostFailureThatHasAState() {
        SQLException inner = new SQLException("no pg_hba.conf entry", "28000");
        SQLException outer = new SQLException("wrapped", null, new RuntimeException("pool", inner));
        assertTrue(PostgresProblems.describe(outer, TARGET, "notify").contains("(28000)"));
        SQLException first = new SQLException("batch failed");
        first.setNextException(new SQLException("no such database", "3D000"));
        assertTrue(PostgresProblems.describe(first, TARGET, "notify").contains("(3D000)"));
    }

    private static String describe(String reason, String state) {
        return PostgresProblems.describe(new SQLException(reason, state), TARGET, "notify");
    }
}
