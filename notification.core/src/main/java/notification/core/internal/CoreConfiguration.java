package notification.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of the notification service (PID {@code notification.core}). */
@ObjectClassDefinition(
        name = "Notification service",
        description = "Transport order, retry schedule and on-behalf sender name of the print server's e-mail notifications.")
public @interface CoreConfiguration {

    /** The PID. */
    String PID = "notification.core";

    @AttributeDefinition(name = "Transports",
            description = "Transport names in order of preference; the first healthy one delivers, the next ones are"
                    + " failovers. A value may also list several names separated by commas.",
            cardinality = 20)
    String[] transports() default {"pickup"};

    @AttributeDefinition(name = "Minimum retry delay (seconds)",
            description = "Delay after the first transient failure; it doubles with every further failure.", min = "1")
    long retryMinimum() default 300;

    @AttributeDefinition(name = "Maximum retry delay (seconds)",
            description = "The doubling retry delay never grows beyond this.", min = "1")
    long retryMaximum() default 4000;

    @AttributeDefinition(name = "Maximum lifetime (seconds)",
            description = "A notification still failing transiently this long after submission (or after a manual"
                    + " retry) expires.", min = "1")
    long maximumLifetime() default 432000;

    @AttributeDefinition(name = "On-behalf From name pattern",
            description = "From display name of a notification sent on behalf of a person; {name} is the person's"
                    + " name, {address} their address. The From address stays the transport's own mailbox.")
    String onBehalfNamePattern() default "{name}";

    @AttributeDefinition(name = "Maximum subject length (characters)", min = "1", max = "998")
    int maxSubjectLength() default 998;

    @AttributeDefinition(name = "Outbox store",
            description = "journal: the outbox on this server's disk (var/outbox). postgresql: one outbox in a"
                    + " PostgreSQL database that several print servers share.",
            options = {@Option(label = "Journal on this server", value = "journal"),
                @Option(label = "PostgreSQL, shared", value = "postgresql")})
    String store() default "journal";

    @AttributeDefinition(name = "JDBC URL", required = false,
            description = "For store=postgresql, e.g. jdbc:postgresql://db.example:5432/notifications;"
                    + " add ?sslmode=verify-full for TLS.")
    String jdbcUrl() default "";

    @AttributeDefinition(name = "Database user", required = false)
    String jdbcUser() default "";

    @AttributeDefinition(name = "Database password", type = AttributeType.PASSWORD, required = false,
            description = "Normally $[secret:NAME], with the password alone in conf/secrets/NAME.")
    String jdbcPassword() default "";

    @AttributeDefinition(name = "Database connections", required = false, min = "2")
    int jdbcPoolSize() default 8;

    @AttributeDefinition(name = "Lease length (seconds)", required = false, min = "3",
            description = "For store=postgresql: how long a node's claim on a notification it sends lasts unless"
                    + " renewed (every third of it). When a node dies, the others send its notifications once their"
                    + " leases run out. Give every node the same value; read when the node connects to the database.")
    long leaseSeconds() default 60;

    @AttributeDefinition(name = "Node name", required = false,
            description = "This server's name in the shared outbox's leases; default: host name and HTTP port.")
    String node() default "";

    @AttributeDefinition(name = "Administrator alerts to", required = false,
            description = "Optional e-mail address that is told, at most once a day per condition, when the delivering"
                    + " transport needs attention, a client secret expires within 14 days, or failed notifications"
                    + " wait in the outbox. Sent through a transport that really sends (never the pickup directory).")
    String alertTo() default "";

    @AttributeDefinition(name = "Maximum recipients per notification",
            description = "To, Cc and Bcc together; a notification with more is refused at submit.", min = "1")
    int maxRecipients() default 500;

    @AttributeDefinition(name = "Maximum extra headers per notification", min = "0")
    int maxHeaders() default 50;

    @AttributeDefinition(name = "Maximum message size (bytes)",
            description = "Ceiling for one notification once encoded, above every transport's own maxMessageSize"
                    + " (which keeps applying at submit).", min = "1")
    long maxMessageSize() default 52428800;

    @AttributeDefinition(name = "Allow addresses beyond ASCII",
            description = "Accept local parts beyond ASCII (RFC 6531/6532). Such messages need a server with"
                    + " SMTPUTF8; one without fails them permanently.")
    boolean allowUtf8Addresses() default false;
}
