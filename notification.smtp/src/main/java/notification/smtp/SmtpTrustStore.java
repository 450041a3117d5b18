package notification.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** Loads a configured trust store (for a private CA) into the TLS context that trusts exactly its certificates. */
public final class SmtpTrustStore {

    private SmtpTrustStore() {
    }

    /**
     * Loads a trust store and returns a socket factory trusting exactly its certificates.
     *
     * @param file the trust store file
     * @param type PKCS12 or JKS
     * @param password the store's password, or empty
     * @return the socket factory
     * @throws InvalidSmtpSettingException if the file cannot be read or holds no certificate
     */
    public static SSLSocketFactory load(String file, String type, String password) throws InvalidSmtpSettingException {
        return context(file, type, password).getSocketFactory();
    }

    /**
     * Loads a trust store and returns a TLS context trusting exactly its certificates (for HTTPS clients too).
     *
     * @param file the trust store file
     * @param type PKCS12 or JKS
     * @param password the store's password, or empty
     * @return the TLS context
     * @throws InvalidSmtpSettingException if the file cannot be read or holds no certificate
     */
    public static SSLContext context(String file, String type, String password) throws InvalidSmtpSettingException {
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            throw new InvalidSmtpSettingException("trustStore",
                    "'trustStore' names " + path.toAbsolutePath() + ", which does not exist or cannot be read.");
        }
        KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (GeneralSecurityException e) {
            throw new InvalidSmtpSettingException("trustStoreType",
                    "'trustStoreType' is '" + type + "', which Java does not know; write PKCS12 or JKS.");
        }
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password.isEmpty() ? null : password.toCharArray());
            if (store.size() == 0) {
                throw new InvalidSmtpSettingException("trustStore",
                        "'trustStore' " + path.toAbsolutePath() + " holds no certificate.");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidSmtpSettingException("trustStore", "'trustStore' " + path.toAbsolutePath()
                    + " cannot be read as " + type + " (wrong 'trustStorePassword' or 'trustStoreType'?): "
                    + e.getMessage());
        }
    }
}
