package notification.oauth.internal;

import java.util.List;
import javax.net.ssl.SSLContext;
import notification.smtp.InvalidSmtpSettingException;
import notification.smtp.SmtpTrustStore;

/**
 * The optional trust store of a transport (a private CA, or the test fixtures' certificate), loaded by the SMTP
 * engine's loader, for SMTP, Graph and the identity platform alike.
 */
final class TrustStores {

    private TrustStores() {
    }

    /**
     * Creates a TLS context trusting the certificates of a PKCS12 or JKS file (JKS when the name ends in .jks).
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
        String path = file.trim();
        try {
            return SmtpTrustStore.context(path, path.endsWith(".jks") ? "JKS" : "PKCS12",
                    password == null ? "" : password);
        } catch (InvalidSmtpSettingException e) {
            problems.add("trustStore '" + path + "' cannot be read or holds no certificate: check the path and"
                    + " trustStorePassword");
            return null;
        }
    }
}
