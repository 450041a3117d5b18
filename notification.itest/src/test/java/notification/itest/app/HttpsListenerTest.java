package notification.itest.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional HTTPS listener, configured from conf/ with the keystore password kept in conf/secrets/. */
class HttpsListenerTest {

    @TempDir
    Path home;

    @Test
    void consoleAnswersOverHttpsWithTheConfiguredKeystore() throws Exception {
        Path conf = Files.createDirectories(home.resolve("conf/secrets"));
        Path keystore = home.resolve("conf/console.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "console", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "s3cret-pass", "-keypass", "s3cret-pass")
                .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(System.out);
        keytool.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, keytool.exitValue(), "keytool");
        Files.writeString(conf.resolve("keystore-password"), "s3cret-pass");
        int httpsPort = RunningContainer.freePort();
        RunningContainer.writeConfig(home, "org.apache.felix.http.cfg", Map.of(
                "org.apache.felix.https.enable", "true",
                "org.osgi.service.http.port.secure", Integer.toString(httpsPort),
                "org.apache.felix.https.keystore", keystore.toString(),
                "org.apache.felix.https.keystore.password", "$[secret:keystore-password]",
                "org.apache.felix.https.keystore.key.password", "$[secret:keystore-password]"));

        int httpPort = RunningContainer.freePort();
        try (RunningContainer container = RunningContainer.start(home, httpPort)) {
            container.awaitReady("/system/console/", Duration.ofSeconds(60));
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
            HttpResponse<String> response = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (response == null && System.nanoTime() < deadline) {
                try {
                    response = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort
                                    + "/system/console/bundles"))
                            .header("Authorization", RunningContainer.basicAuth("admin", "admin")).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException notYet) {
                    Thread.sleep(300);
                }
            }
            assertEquals(200, response == null ? -1 : response.statusCode(), "HTTPS; log:\n" + container.log());
            String log = container.log();
            assertEquals(-1, log.indexOf("s3cret-pass"), "the keystore password must not be logged");
        }
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "s3cret-pass".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
