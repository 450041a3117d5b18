package notification.oauth.internal;

import java.io.IOException;
import java.util.Arrays;

/**
 * Notices a sign-in that another node stored in the shared database: each look reads the shared authorization entry
 * (one primary-key read) and says whether it changed since the last look. A transport looks only while it waits for
 * authorization, so a node becomes ready as soon as any node's Authorize completed. Kept in a token folder, nothing
 * changes behind the transport's back, and it never looks.
 */
final class SignInWatch {

    private final TokenEntries entries;
    private byte[] seen;

    SignInWatch(TokenEntries entries) {
        this.entries = entries;
    }

    /** @return whether the stored authorization changed since the last call (the first call notes it) */
    synchronized boolean changed() {
        if (!entries.shared()) {
            return false;
        }
        try {
            byte[] now = entries.read(AuthorizationFile.FILE).orElse(new byte[0]);
            boolean changed = seen != null && !Arrays.equals(seen, now);
            seen = now;
            return changed;
        } catch (IOException unreachable) {
            return false; // the next look tries again
        }
    }
}
