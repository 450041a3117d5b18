package notification.oauth.internal;

import static notification.oauth.internal.GoogleCloudFixture.MAILBOX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import notification.api.transport.DeliveryResult;
import notification.api.transport.DeliveryResult.Status;
import notification.api.transport.TransportHealth.State;
import notification.testkit.StoredTestMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes keep one Gmail sign-in in one real PostgreSQL database, against the fake Google rotating refresh tokens. */
class GoogleSharedSignInTest {

    @RegisterExtension
    static final PostgresForClass POSTGRES = new PostgresForClass();
    @TempDir
    Path dataDir;
    private GoogleCloudFixture cloud;
    private SharedDatabase database;
    private final String key = SharedDatabase.newKey();
    private final List<GoogleMailTransport> opened = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cloud = new GoogleCloudFixture(dataDir);
        cloud.google.setRotateRefreshTokens(true);
        database = new SharedDatabase(POSTGRES.server());
    }

    @AfterEach
    void stop() throws Exception {
        opened.forEach(GoogleMailTransport::close);
        database.close();
        cloud.close();
    }

    private GoogleMailTransport node(String node) {
        Map<String, Object> c = cloud.configuration("smtp");
        c.put("tokenKey", key);
        GoogleSettings settings = new GoogleSettings("gmail", GoogleCloudFixture.configuration(c));
        Path folder = folder(node);
        GoogleMailTransport t = new GoogleMailTransport("gmail", settings, folder,
                database.node(folder, settings.tokenKey, "gmail"), Clock.systemUTC());
        opened.add(t);
        return t;
    }

    private Path folder(String node) {
        return dataDir.resolve(node).resolve("tokens").resolve("gmail");
    }

    @Test
    void aGoogleSignInOnOneNodeServesTheOtherAndConcurrentRefreshesKeepTheRotatedToken() throws Exception {
        GoogleMailTransport a = node("a");
        GoogleMailTransport b = node("b");
        assertEquals(State.AUTHORIZATION_REQUIRED, b.health().state());
        cloud.authorize(a, MAILBOX);
        assertEquals(State.OK, b.health().state(), b.health().message());

        // a forced refresh each: redeems the stored refresh token, stores the new one
        SharedDatabase.atOnce(6, a::keepAlive, b::keepAlive);

        assertEquals(12, cloud.google.tokenRequests("refresh_token"));
        DeliveryResult sent = b.deliver(StoredTestMessage.text(MAILBOX, "from node b", "a@example.org"));
        assertEquals(Status.SENT, sent.status(), sent.reply());
        a.keepAlive();
        assertEquals(13, cloud.google.tokenRequests("refresh_token"));
        assertEquals(State.OK, a.health().state(), a.health().message());
        assertEquals(State.OK, b.health().state(), b.health().message());
    }

    @Test
    void aGoogleSignInKeptInTheTokenFolderIsCopiedToTheDatabaseOnFirstUse() throws Exception {
        GoogleSettings plain = new GoogleSettings("gmail", GoogleCloudFixture.configuration(
                cloud.configuration("smtp")));
        GoogleMailTransport before = new GoogleMailTransport("gmail", plain, folder("a"), Clock.systemUTC());
        cloud.authorize(before, MAILBOX);
        before.close();

        GoogleMailTransport b = node("b");
        assertEquals(State.AUTHORIZATION_REQUIRED, b.health().state(), "node b found a sign-in before a shared it");
        GoogleMailTransport a = node("a");

        assertEquals(State.OK, a.health().state(), a.health().message());
        assertEquals(State.OK, b.health().state(), b.health().message());
        DeliveryResult sent = b.deliver(StoredTestMessage.text(MAILBOX, "copied", "a@example.org"));
        assertEquals(Status.SENT, sent.status(), sent.reply());
        assertTrue(Files.exists(folder("a").resolve("google-tokens.bin")), "the local sign-in was discarded");
    }
}
