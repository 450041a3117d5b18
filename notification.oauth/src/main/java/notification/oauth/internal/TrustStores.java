package notification.oauth.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Loads the optional trust store of a transport (a private CA, or the test fixtures' certificate). */
final class TrustStores {

    private TrustStores() {
    }

    /**
     * Creates a TLS context trusting the certificates of a PKCS12 or JKS file.
     *
     * @param file the file, or empty for the JVM's default trust
     * @param password its password, may be empty
     * @param problems where to add why the file cannot be used
     * @return the context, or {@code null} for the JVM's default
     */
    static SSLContext context(String file, String password, List<String> problems) {
        if (file == null || file.isBlank()) {
            return null;
        }
        Path path = Path.of(file.trim());
        char[] secret = password == null ? new char[0] : password.toCharArray();
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(file.endsWith(".jks") ? "JKS" : "PKCS12");
            store.load(in, secret);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            problems.add("trustStore '" + path + "' cannot be read (" + e.getClass().getSimpleName()
                    + "): check the path and trustStorePassword");
            return null;
        }
    }
}
