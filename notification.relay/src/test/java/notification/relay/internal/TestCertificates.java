package notification.relay.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A self-signed server certificate for 127.0.0.1 made with keytool, and a trust store holding it. */
final class TestCertificates {
    static final String PASSWORD = "changeit";
    static final Path DIR;
    static final Path SERVER_KEYSTORE;
    static final Path TRUST_STORE;

    static {
        try {
            DIR = Files.createTempDirectory("relay-tls");
            SERVER_KEYSTORE = DIR.resolve("server.p12");
            TRUST_STORE = DIR.resolve("trust.p12");
            Path cert = DIR.resolve("server.crt");
            keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-keystore", SERVER_KEYSTORE.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
            keytool("-exportcert", "-alias", "server", "-keystore", SERVER_KEYSTORE.toString(),
                    "-storepass", PASSWORD, "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", "test-ca", "-file", cert.toString(),
                    "-keystore", TRUST_STORE.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
            // GreenMail's SMTPS reads its key from these properties when it first opens a TLS port
            System.setProperty("greenmail.tls.keystore.file", SERVER_KEYSTORE.toString());
            System.setProperty("greenmail.tls.keystore.password", PASSWORD);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot make the test certificates", e);
        }
    }

    private TestCertificates() {
    }

    /** Returns the server's TLS context (for SubEthaSMTP's STARTTLS). */
    static SSLContext serverContext() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(SERVER_KEYSTORE)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }
}
