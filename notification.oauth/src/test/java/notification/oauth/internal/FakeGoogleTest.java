package notification.oauth.internal;

import java.nio.file.Path;
import notification.testkit.StoredTestMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of the tests that run Google transports against a fresh fake Google in a temporary data directory. */
abstract class FakeGoogleTest {

    @TempDir
    Path dataDir;
    GoogleCloudFixture cloud;

    @BeforeEach
    void startGoogle() {
        cloud = new GoogleCloudFixture(dataDir);
    }

    @AfterEach
    void stopGoogle() {
        cloud.close();
    }

    /** @return a short scan notification from the mailbox to a@example.org */
    static StoredTestMessage scan(String subject) {
        return StoredTestMessage.text(GoogleCloudFixture.MAILBOX, subject, "a@example.org");
    }

    /** @return a transport with the default configuration, signed in as the mailbox */
    GoogleMailTransport authorizedTransport(String protocol) throws Exception {
        GoogleMailTransport transport = cloud.transport(protocol);
        cloud.authorize(transport, GoogleCloudFixture.MAILBOX);
        return transport;
    }
}
