package notification.oauth.internal;

import java.nio.file.Path;
import notification.testkit.StoredTestMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of the tests that run transports against a fresh fake Microsoft cloud in a temporary data directory. */
abstract class FakeMicrosoftCloudTest {

    @TempDir
    Path dataDir;
    MicrosoftCloudFixture cloud;

    @BeforeEach
    void startCloud() {
        cloud = new MicrosoftCloudFixture(dataDir);
    }

    @AfterEach
    void stopCloud() {
        cloud.close();
    }

    /** @return a short scan notification from the mailbox to a@example.org */
    static StoredTestMessage scan(String subject) {
        return StoredTestMessage.text(MicrosoftCloudFixture.MAILBOX, subject, "a@example.org");
    }

    /** @return a transport with the default configuration, signed in as the mailbox */
    MicrosoftMailTransport authorizedTransport(String protocol) throws Exception {
        MicrosoftMailTransport transport = cloud.transport(protocol);
        cloud.authorize(transport, MicrosoftCloudFixture.MAILBOX);
        return transport;
    }
}
