package notification.core.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import notification.api.Person;
import notification.core.internal.files.OwnerOnlyFiles;
import notification.api.transport.DeliveryResult;
import notification.api.transport.MailTransport;
import notification.api.transport.OutgoingMessage;
import notification.api.transport.TransportHealth;
import notification.api.transport.TransportLimits;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The embedded default transport: writes every message as {@code <id>.eml} into {@code <data dir>/pickup}; its health
 * says plainly that no mail leaves the machine.
 */
@Component(service = MailTransport.class, configurationPid = PickupConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {MailTransport.NAME + "=pickup", MailTransport.TYPE + "=pickup"})
@Designate(ocd = PickupConfiguration.class)
public final class PickupDirectoryTransport implements MailTransport {
    private static final TransportLimits LIMITS = new TransportLimits(2, 0, 0, 0);

    private final Path dir;
    private volatile Person sender;
    private volatile Instant lastSuccess;
    private volatile Instant lastFailure;
    private volatile String lastError;

    /**
     * Creates the transport.
     *
     * @param context the bundle context, for the data directory
     * @param config the configuration
     * @throws IOException if the directory cannot be created
     */
    @Activate
    public PickupDirectoryTransport(BundleContext context, PickupConfiguration config) throws IOException {
        this(OutboxNotificationService.dataDir(context).resolve("pickup"),
                new Person(config.fromName(), config.from()));
    }

    PickupDirectoryTransport(Path dir, Person sender) throws IOException {
        this.dir = OwnerOnlyFiles.folder(dir);
        try (DirectoryStream<Path> written = Files.newDirectoryStream(dir, "*.eml")) {
            for (Path eml : written) {
                // messages written before files were owner-only
                Files.setPosixFilePermissions(eml, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (UnsupportedOperationException notPosix) {
            // the platform's defaults apply
        }
        this.sender = sender;
    }

    @Modified
    void modified(PickupConfiguration config) {
        sender = new Person(config.fromName(), config.from());
    }

    @Override
    public Person sender() {
        return sender;
    }

    @Override
    public DeliveryResult deliver(OutgoingMessage message) {
        Path temp = dir.resolve("." + message.notificationId() + ".tmp");
        Path target = dir.resolve(message.notificationId() + ".eml");
        try {
            try (FileChannel ch = OwnerOnlyFiles.open(temp, StandardOpenOption.TRUNCATE_EXISTING);
                    OutputStream out = Channels.newOutputStream(ch)) {
                BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
                message.writeTo(buffered);
                buffered.flush();
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            JournalFiles.forceDirectory(dir);
            lastSuccess = Instant.now();
            return DeliveryResult.sent("written to " + target.getFileName());
        } catch (IOException e) {
            lastFailure = Instant.now();
            lastError = "cannot write to " + dir + ": " + e.getMessage();
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // left for the administrator; it is not an .eml file
            }
            return DeliveryResult.transientFailure(lastError);
        }
    }

    @Override
    public TransportHealth health() {
        Instant ok = lastSuccess;
        Instant failed = lastFailure;
        boolean failing = failed != null && (ok == null || failed.isAfter(ok));
        return new TransportHealth(failing ? TransportHealth.State.FAILING : TransportHealth.State.OK,
                failing ? "Cannot write messages to " + dir : "No mail leaves this machine: each message is only written as"
                        + " an .eml file to " + dir + ". Configure a relay or Microsoft 365 to deliver mail.",
                ok, failed, lastError, null);
    }

    @Override
    public TransportLimits limits() {
        return LIMITS;
    }
}
