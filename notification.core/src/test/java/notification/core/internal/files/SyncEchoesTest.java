package notification.core.internal.files;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The file sync's memory of its own writes and removals, told apart from the administrator's. */
class SyncEchoesTest {
    private final SyncEchoes echoes = new SyncEchoes();

    @Test
    void aWrittenTextIsAnEchoUntilTheConfigurationIsGone() {
        echoes.writing("notification.relay~a", "host=x\n");
        assertTrue(echoes.ownWrite("notification.relay~a", "host=x\n"));
        assertFalse(echoes.ownWrite("notification.relay~a", "host=y\n"), "an edit is not an echo");
        assertFalse(echoes.ownWrite("notification.relay~b", "host=x\n"), "another PID's file is not an echo");
        echoes.configurationGone("notification.relay~a");
        assertFalse(echoes.ownWrite("notification.relay~a", "host=x\n"), "the same text dropped back is new");
    }

    @Test
    void aRemovalIsAnEchoOnceAndNotAfterFileInstallSawTheFileAgain() {
        echoes.removingFile("notification.core");
        assertTrue(echoes.ownRemoval("notification.core"));
        assertFalse(echoes.ownRemoval("notification.core"), "the next removal is the administrator's");
        echoes.removingFile("notification.core");
        echoes.fileSeen("notification.core");
        assertFalse(echoes.ownRemoval("notification.core"), "the file was seen again since");
    }

    @Test
    void aDeletionForARemovedFileIsAnEchoOnce() {
        assertFalse(echoes.ownDeletion("notification.relay~a"));
        echoes.deletingConfiguration("notification.relay~a");
        assertTrue(echoes.ownDeletion("notification.relay~a"));
        assertFalse(echoes.ownDeletion("notification.relay~a"));
    }
}
