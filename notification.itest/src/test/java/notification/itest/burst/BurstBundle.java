package notification.itest.burst;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Packs {@link BurstDriver} into a bundle jar that Felix FileInstall installs when it appears in conf/. */
public final class BurstBundle {
    private BurstBundle() {
    }

    /** Writes the bundle jar to {@code target}; write it outside FileInstall's folder, then move it in. */
    public static void write(Path target) throws IOException, URISyntaxException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "notification.itest.burst");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", BurstDriver.class.getName());
        main.putValue("Import-Package", "notification.api;version=\"[1.0,2)\",org.osgi.framework;version=\"[1.8,2)\"");
        Path classes = Path.of(BurstDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String packageDir = BurstDriver.class.getPackageName().replace('.', '/');
        try (OutputStream file = Files.newOutputStream(target);
                JarOutputStream jar = new JarOutputStream(file, manifest);
                Stream<Path> files = Files.list(classes.resolve(packageDir))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith("BurstDriver")) {
                    jar.putNextEntry(new JarEntry(packageDir + "/" + name));
                    jar.write(Files.readAllBytes(p));
                    jar.closeEntry();
                }
            }
        }
    }
}
