package notification.relay.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of one SMTP relay (factory PID {@code notification.relay}, one instance per server). */
@ObjectClassDefinition(
        name = "Notification SMTP relay",
        description = "One SMTP server that delivers notifications: an internal relay, an Exchange connector, a hosted"
                + " SMTP service or a mailbox with a username and password.")
public @interface RelayConfiguration {

    /** The factory PID. */
    String FACTORY_PID = "notification.relay";

    @AttributeDefinition(name = "Name", required = false,
            description = "The name the 'transports' list of notification.core refers to. Empty: the factory"
                    + " configuration's name (notification.relay~office is 'office').")
    String name() default "";

    @AttributeDefinition(name = "Host", description = "The SMTP server's host name or address.")
    String host() default "";

    @AttributeDefinition(name = "Port",
            description = "The SMTP server's port. 0: the usual port for the security (none 25, starttls 587, tls 465).")
    int port() default 0;

    @AttributeDefinition(name = "Security", description = "none: plain text; starttls: STARTTLS required;"
            + " tls: implicit TLS from the first byte.",
            options = {
                @Option(value = "none", label = "None (plain text)"),
                @Option(value = "starttls", label = "STARTTLS required"),
                @Option(value = "tls", label = "Implicit TLS")
            })
    String security() default "starttls";

    @AttributeDefinition(name = "Username", required = false,
            description = "The username for SMTP authentication. Empty: no authentication.")
    String username() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
            description = "The password for SMTP authentication; may be written as $[secret:name] or $[env:NAME].")
    String password() default "";

    @AttributeDefinition(name = "Sender address",
            description = "The mailbox this relay sends from: From address and envelope sender (MAIL FROM).")
    String from() default "";

    @AttributeDefinition(name = "Sender display name", required = false,
            description = "The From display name when a notification is not sent on behalf of someone.")
    String fromName() default "";

    @AttributeDefinition(name = "Maximum connections",
            description = "The most SMTP connections open at once; each is reused across messages.")
    int maxConnections() default 4;

    @AttributeDefinition(name = "Connect timeout (ms)", description = "How long to wait for a connection.")
    int connectTimeout() default 10_000;

    @AttributeDefinition(name = "Read timeout (ms)", description = "How long to wait for each server reply.")
    int readTimeout() default 30_000;

    @AttributeDefinition(name = "Write timeout (ms)", description = "How long one write to the server may block.")
    int writeTimeout() default 30_000;

    @AttributeDefinition(name = "Trust store", required = false,
            description = "A trust store file holding a private CA's certificate. Empty: the Java default CAs.")
    String trustStore() default "";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false,
            description = "The trust store's password, if it has one.")
    String trustStorePassword() default "";

    @AttributeDefinition(name = "Trust store type", description = "PKCS12 or JKS.")
    String trustStoreType() default "PKCS12";

    @AttributeDefinition(name = "TLS protocols", description = "The TLS versions allowed, separated by spaces.")
    String tlsProtocols() default "TLSv1.2 TLSv1.3";

    @AttributeDefinition(name = "Messages per minute", description = "The most messages started per minute; 0: no limit.")
    int messagesPerMinute() default 0;

    @AttributeDefinition(name = "Recipients per day",
            description = "The most recipients per rolling 24 hours; 0: no limit.")
    int recipientsPerDay() default 0;

    @AttributeDefinition(name = "Maximum message size (bytes)", description = "The largest message; 0: no limit.")
    long maxMessageSize() default 0;

    @AttributeDefinition(name = "Name hint", description = "How the console names this configuration.")
    String webconsole_configurationFactory_nameHint() default "{name} {host}:{port}";
}
