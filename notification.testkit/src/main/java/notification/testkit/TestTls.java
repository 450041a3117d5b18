package notification.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The fixtures' TLS material: a self-signed certificate for {@code localhost} and {@code 127.0.0.1} (generated once
 * with keytool, valid for 100 years) and a PKCS12 trust store holding it, for clients that must trust the fakes.
 */
public final class TestTls {

    /** Password of both the key store and the trust store (test material only). */
    public static final String PASSWORD = "testkit-only";

    private static final String KEY_STORE = "localhost.p12";
    private static final String TRUST_STORE = "truststore.p12";

    private TestTls() {
    }

    /**
     * Returns a TLS context presenting the localhost certificate, for the fake servers.
     *
     * @return a server context
     */
    public static SSLContext serverContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(KEY_STORE), PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up the test key store", e);
        }
    }

    /**
     * Returns a TLS context that trusts the fakes' certificate (and nothing else), for test clients.
     *
     * @return a client context
     */
    public static SSLContext clientContext() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(TRUST_STORE));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up the test trust store", e);
        }
    }

    /**
     * Copies the trust store (PKCS12, password {@link #PASSWORD}) into a directory, for configurations that name a
     * trust store file, such as {@code trustStore} of {@code notification.oauth.microsoft}.
     *
     * @param directory where to write it
     * @return the written file
     */
    public static Path writeTrustStore(Path directory) {
        try (InputStream in = resource(TRUST_STORE)) {
            Files.createDirectories(directory);
            Path file = directory.resolve(TRUST_STORE);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyStore load(String name) throws GeneralSecurityException {
        try (InputStream in = resource(name)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = TestTls.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("test resource missing: notification/testkit/" + name);
        }
        return in;
    }
}
