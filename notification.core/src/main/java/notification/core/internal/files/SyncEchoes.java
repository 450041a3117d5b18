package notification.core.internal.files;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the file sync did itself, per PID, so that it can tell the notices of its own writes and removals (FileInstall
 * seeing a file it wrote or removed, Config Admin reporting a configuration it deleted) from changes an administrator
 * made.
 */
final class SyncEchoes {
    /** The text last written to each PID's file. */
    private final Map<String, String> written = new ConcurrentHashMap<>();
    /** Files removed for a deleted configuration, which FileInstall has not seen again since. */
    private final Set<String> removedFiles = ConcurrentHashMap.newKeySet();
    /** Configurations deleted because their file went. */
    private final Set<String> deletedConfigurations = ConcurrentHashMap.newKeySet();

    /** The sync writes this text to the PID's file. */
    void writing(String pid, String text) {
        written.put(pid, text);
    }

    /** Whether this text is what the sync last wrote to the PID's file. */
    boolean ownWrite(String pid, String text) {
        return text.equals(written.get(pid));
    }

    /** The PID's configuration is gone: whatever its file says next is a new configuration, not an echo. */
    void configurationGone(String pid) {
        written.remove(pid);
    }

    /** The sync is about to remove the PID's file, whose configuration was deleted. */
    void removingFile(String pid) {
        removedFiles.add(pid);
    }

    /** FileInstall sees the PID's file (again): a later removal of it is the administrator's. */
    void fileSeen(String pid) {
        removedFiles.remove(pid);
    }

    /** Whether FileInstall's notice that the PID's file went is the echo of the sync's own removal; answers once. */
    boolean ownRemoval(String pid) {
        return removedFiles.remove(pid);
    }

    /** The sync deletes the PID's configuration because its file went. */
    void deletingConfiguration(String pid) {
        deletedConfigurations.add(pid);
    }

    /** Whether Config Admin's notice of the PID's deletion is the echo of the sync's own; answers once. */
    boolean ownDeletion(String pid) {
        return deletedConfigurations.remove(pid);
    }
}
