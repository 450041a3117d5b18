package notification.core.internal.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write-back changes only the lines of changed keys; everything an administrator wrote stays. */
class PropertiesLinesTest {

    private static final String HAND_WRITTEN = """
            # Office relay: tuned by hand after the 2026-11 outage, do not change without asking Mia
            host=smtp.office.example.com

            ! port as the firewall allows
            port = 587
            maxConnections=1
            readTimeout  :  5000
            messagesPerMinute=30
            fromName=Office \\
                Scanner
            """;

    @TempDir
    Path dir;

    @Test
    void unchangedValuesLeaveTheTextByteForByte() {
        Map<String, String> same = PropertiesLines.values(HAND_WRITTEN);

        assertEquals(HAND_WRITTEN, PropertiesLines.merge(HAND_WRITTEN, same, "# new\n"));
        assertEquals("Office Scanner", same.get("fromName"));
        assertEquals("5000", same.get("readTimeout"));
    }

    @Test
    void aChangedValueIsRewrittenInPlaceAndEveryOtherLineStays() {
        Map<String, String> values = new TreeMap<>(PropertiesLines.values(HAND_WRITTEN));
        values.put("host", "smtp2.office.example.com");

        String merged = PropertiesLines.merge(HAND_WRITTEN, values, "# new\n");

        assertEquals(HAND_WRITTEN.replace("host=smtp.office.example.com", "host=smtp2.office.example.com"), merged);
    }

    @Test
    void aRemovedKeyLosesItsLineAndANewKeyIsAppended() {
        Map<String, String> values = new TreeMap<>(PropertiesLines.values(HAND_WRITTEN));
        values.remove("messagesPerMinute");
        values.put("username", "scanner@office.example.com");
        values.put("password", "$[secret:notification.relay~office.password]");

        String merged = PropertiesLines.merge(HAND_WRITTEN, values, "# new\n");

        assertEquals(HAND_WRITTEN.replace("messagesPerMinute=30\n", "")
                + "password=$[secret:notification.relay~office.password]\n"
                + "username=scanner@office.example.com\n", merged);
    }

    @Test
    void keepsWindowsLineEndsAndAddsTheMissingLastLineEnd() {
        String text = "# relay\r\nhost=a.example.com\r\nport=25";
        Map<String, String> values = new LinkedHashMap<>(Map.of("host", "a.example.com", "port", "25", "tls", "none"));

        assertEquals("# relay\r\nhost=a.example.com\r\nport=25\r\ntls=none\r\n",
                PropertiesLines.merge(text, values, "# new\n"));
    }

    @Test
    void aChangedKeyWrittenTwiceKeepsOneLineWhereTheEffectiveOneWas() {
        String text = "port=25\n# later override\nport=2525\nhost=h\n";
        Map<String, String> values = Map.of("port", "587", "host", "h");

        assertEquals("# later override\nport=587\nhost=h\n", PropertiesLines.merge(text, values, "# new\n"));
    }

    @Test
    void aNewFileGetsTheHeaderAndSortedKeys() {
        assertEquals("# new\na=1\nb=2\n", PropertiesLines.merge(null, Map.of("b", "2", "a", "1"), "# new\n"));
    }

    @Test
    void writtenValuesReadBackUnchangedByJavaProperties() throws Exception {
        Map<String, String> values = new TreeMap<>();
        values.put("fromName", "Print Server: Floor 2 = main # not a comment");
        values.put("path", "C:\\scans\\new");
        values.put("multi", "line one\nline two\ttab");
        values.put("odd key=x", "äöü €");
        values.put("#hash", "!bang");

        String text = PropertiesLines.merge(null, values, "# new\n");
        Properties read = new Properties();
        read.load(new StringReader(text));

        for (Map.Entry<String, String> e : values.entrySet()) {
            assertEquals(e.getValue(), read.getProperty(e.getKey()), text);
        }
        assertTrue(text.contains("fromName=Print Server: Floor 2 = main # not a comment\n"), text);
    }

    @Test
    void theConfigurationFileMergesAConfigurationIntoTheFileItCameFrom() throws Exception {
        Path path = dir.resolve("notification.relay~office.cfg");
        Files.writeString(path, HAND_WRITTEN);
        ConfigurationFile file = new ConfigurationFile(path);
        Hashtable<String, Object> props = new Hashtable<>(file.read());
        props.put("service.pid", "notification.relay~office");
        props.put(ConfigurationFile.FILE_PROPERTY, path.toString());
        props.put("maxConnections", 1);
        props.put("security", "starttls");

        assertEquals(HAND_WRITTEN + "security=starttls\n", file.merged(props));
    }
}
