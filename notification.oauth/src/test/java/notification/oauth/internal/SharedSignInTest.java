package notification.oauth.internal;

import static notification.oauth.internal.MicrosoftCloudFixture.MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportHealth.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes (each its own token folder and pool) keep one Microsoft 365 sign-in in one real PostgreSQL database: real
 * MSAL4J against the fake identity platform over HTTPS, which rotates the refresh token on every use.
 */
class SharedSignInTest extends FakeMicrosoftCloudTest {

    @RegisterExtension
    static final PostgresForClass POSTGRES = new PostgresForClass();
    private SharedDatabase database;
    private final String key = SharedDatabase.newKey();
    private final List<MicrosoftMailTransport> opened = new ArrayList<>();

    @BeforeEach
    void openDatabase() throws Exception {
        database = new SharedDatabase(POSTGRES.server());
    }

    @AfterEach
    void closeNodes() throws Exception {
        opened.forEach(MicrosoftMailTransport::close);
        database.close();
    }

    private MicrosoftMailTransport node(String node, String tokenKey) {
        Map<String, Object> c = cloud.configuration("smtp");
        c.put("tokenKey", tokenKey);
        MicrosoftSettings settings = new MicrosoftSettings("m365", TestConfigurations.of(c));
        Path folder = folder(node);
        MicrosoftMailTransport t = new MicrosoftMailTransport("m365", settings, folder,
                database.node(folder, settings.tokenKey, "m365"), Clock.systemUTC());
        opened.add(t);
        return t;
    }

    private Path folder(String node) {
        return dataDir.resolve(node).resolve("tokens").resolve("m365");
    }

    @Test
    void aSignInOnOneNodeServesTheOtherWithoutASignInOfItsOwn() throws Exception {
        MicrosoftMailTransport a = node("a", key);
        MicrosoftMailTransport b = node("b", key);
        assertEquals(State.AUTHORIZATION_REQUIRED, b.health().state());

        cloud.authorize(a, MAILBOX);

        TransportHealth seenByB = b.health();
        assertEquals(State.OK, seenByB.state(), seenByB.message());
        assertTrue(seenByB.message().contains("kept in the database and serves every node"), seenByB.message());
        DeliveryResult sent = b.deliver(scan("sent by node b"));
        assertEquals(Status.SENT, sent.status(), sent.reply());
        assertEquals(MAILBOX, cloud.smtp.messages().get(0).authenticatedUser());
        assertEquals(1, cloud.identity.tokenRequests("authorization_code"));
        assertFalse(Files.exists(folder("a").resolve("token-cache.bin")), "the shared sign-in was also kept on disk");
        assertFalse(Files.exists(folder("b").resolve("token-cache.bin")), "the shared sign-in was also kept on disk");
        for (String row : storedRows()) {
            MicrosoftCloudFixture.assertNoSecret(row);
        }
    }

    @Test
    void refreshesOnBothNodesAtOnceNeverLoseTheRotatedRefreshToken() throws Exception {
        MicrosoftMailTransport a = node("a", key);
        MicrosoftMailTransport b = node("b", key);
        cloud.authorize(a, MAILBOX);
        assertEquals(State.OK, b.health().state());

        // a forced refresh each: redeems the stored refresh token, stores the new one
        SharedDatabase.atOnce(6, a::keepAlive, b::keepAlive);

        assertEquals(12, cloud.identity.tokenRequests("refresh_token"));
        for (MicrosoftMailTransport node : List.of(a, b)) {
            assertEquals(State.OK, node.health().state(), node.health().message());
        }
        // the refresh token stored last is the one that works: one more refresh on each node succeeds
        a.keepAlive();
        b.keepAlive();
        assertEquals(14, cloud.identity.tokenRequests("refresh_token"));
        DeliveryResult sent = b.deliver(scan("after the refreshes"));
        assertEquals(Status.SENT, sent.status(), sent.reply());
        assertEquals(State.OK, a.health().state(), a.health().message());
    }

    @Test
    void aNodeWithAnotherTokenKeyIsToldToUseTheSameSecretAndHarmsNothing() throws Exception {
        MicrosoftMailTransport a = node("a", key);
        cloud.authorize(a, MAILBOX);
        String otherKey = SharedDatabase.newKey();

        MicrosoftMailTransport b = node("b", otherKey);

        TransportHealth h = b.health();
        assertEquals(State.AUTHORIZATION_REQUIRED, h.state());
        assertTrue(h.message().contains("this node's tokenKey differs from the one that encrypted the shared sign-in;"
                + " give every node the same secret"), h.message());
        assertFalse(h.message().contains(otherKey) || h.message().contains(key), "the key was shown");
        assertFalse(h.message().contains("Exception"), h.message());
        assertEquals(Status.UNAVAILABLE, b.deliver(scan("not from b")).status());
        DeliveryResult sent = a.deliver(scan("still from a"));
        assertEquals(Status.SENT, sent.status(), sent.reply());
    }

    @Test
    void aSignInKeptInTheTokenFolderIsCopiedToTheDatabaseOnFirstUseAndKept() throws Exception {
        Path folder = folder("a");
        MicrosoftSettings plain = new MicrosoftSettings("m365", TestConfigurations.of(cloud.configuration("smtp")));
        MicrosoftMailTransport before = new MicrosoftMailTransport("m365", plain, folder, Clock.systemUTC());
        cloud.authorize(before, MAILBOX);
        before.close();

        MicrosoftMailTransport a = node("a", key);
        MicrosoftMailTransport b = node("b", key);

        assertEquals(State.OK, a.health().state(), a.health().message());
        assertEquals(State.OK, b.health().state(), b.health().message());
        DeliveryResult sent = b.deliver(scan("from the copied sign-in"));
        assertEquals(Status.SENT, sent.status(), sent.reply());
        assertEquals(1, cloud.identity.tokenRequests("authorization_code"));
        assertTrue(Files.exists(folder.resolve("token-cache.bin")), "the local sign-in was discarded");
        assertTrue(Files.exists(folder.resolve("authorization.properties")), "the local sign-in was discarded");
    }

    @Test
    void whileTheDatabaseIsAwayMailWaitsWithASentenceAndIsSentWhenItIsBack() throws Exception {
        MicrosoftMailTransport a = node("a", key);
        cloud.authorize(a, MAILBOX);

        POSTGRES.server().halt();
        DeliveryResult waiting;
        try {
            a.keepAlive(); // a forced refresh needs the shared cache
            waiting = a.deliver(scan("while the database is away"));
        } finally {
            POSTGRES.server().resume();
        }

        assertTrue(waiting.status() == Status.UNAVAILABLE || waiting.status() == Status.TRANSIENT,
                waiting.status() + ": " + waiting.reply());
        String said = a.health().message();
        assertTrue(said.contains("is shared in the database, which cannot be used now"), said);
        assertFalse(said.contains("Exception") || said.contains(POSTGRES.server().password()), said);
        // the pool may still lend a connection that died with the server once: that attempt waits like the one above,
        // and the outbox's next attempt sends it
        DeliveryResult sent = null;
        for (int attempt = 0; attempt < 3 && (sent == null || sent.status() != Status.SENT); attempt++) {
            a.keepAlive();
            sent = a.deliver(scan("when it is back"));
            assertTrue(sent.status() == Status.SENT || sent.status() == Status.UNAVAILABLE
                    || sent.status() == Status.TRANSIENT, sent.status() + ": " + sent.reply());
        }
        assertEquals(Status.SENT, sent.status(), sent.reply());
        assertEquals(State.OK, a.health().state(), a.health().message());
    }

    @Test
    void anOutboxInTheDatabaseWithoutTokenKeyWarnsThatTheSignInStaysOnThisNode() {
        MicrosoftMailTransport a = node("a", "");

        assertTrue(a.health().warnings().stream().anyMatch(w -> w.contains("set tokenKey (the same secret on every "
                + "node)")), a.health().warnings().toString());
    }

    @Test
    void aTokenKeyThatIsNoKeyIsNamedWithoutShowingIt() {
        Map<String, Object> c = cloud.configuration("smtp");
        c.put("tokenKey", "correct horse battery staple");
        MicrosoftSettings words = new MicrosoftSettings("m365", TestConfigurations.of(c));
        String sixteenBytes = java.util.Base64.getEncoder().encodeToString("sixteen byte key".getBytes());
        c.put("tokenKey", sixteenBytes);
        MicrosoftSettings short16 = new MicrosoftSettings("m365", TestConfigurations.of(c));

        String problems = String.join("; ", words.problems) + String.join("; ", short16.problems);
        assertTrue(problems.contains("tokenKey is not base64: make one with openssl rand -base64 32"), problems);
        assertTrue(problems.contains("tokenKey decodes to 16 bytes, not 32"), problems);
        assertFalse(problems.contains("horse") || problems.contains(sixteenBytes), problems);
    }

    private List<String> storedRows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.pool().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT entry, content FROM notification_token_entry")) {
            while (r.next()) {
                rows.add(r.getString(1) + ": " + new String(r.getBytes(2), StandardCharsets.ISO_8859_1));
            }
        }
        assertTrue(rows.size() >= 3, rows.toString());
        return rows;
    }
}
