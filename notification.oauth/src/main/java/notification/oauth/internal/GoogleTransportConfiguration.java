package notification.oauth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of one Google Workspace / Gmail sending mailbox (factory PID {@code notification.oauth.google}). */
@ObjectClassDefinition(name = "Notification transport: Gmail / Google Workspace (OAuth2)",
        description = "Sends as one Gmail or Google Workspace mailbox through SMTP with XOAUTH2 or the Gmail API.")
@interface GoogleTransportConfiguration {

    /** @return the console's label for a configuration of this factory */
    String webconsole_configurationFactory_nameHint() default "{name} {username}";

    @AttributeDefinition(name = "Name", required = false,
            description = "Transport name used in notification.core's 'transports'; empty = the configuration's name")
    String name() default "";

    @AttributeDefinition(name = "Client ID", required = false,
            description = "OAuth client ID of type Web application, e.g. 1234-abc.apps.googleusercontent.com")
    String clientId() default "";

    @AttributeDefinition(name = "Client secret", type = AttributeType.PASSWORD, required = false,
            description = "The OAuth client's secret; may be $[secret:name]")
    String clientSecret() default "";

    @AttributeDefinition(name = "Username", required = false,
            description = "The sending mailbox, e.g. scanner@example.com; sign in as this account")
    String username() default "";

    @AttributeDefinition(name = "Redirect URI", description = "Registered under the OAuth client's Authorized redirect URIs")
    String redirectUri() default "http://localhost:9191/google-oauth2-callback";

    @AttributeDefinition(name = "Protocol", options = {
        @Option(value = "smtp", label = "SMTP with XOAUTH2 (smtp.gmail.com:587)"),
        @Option(value = "api", label = "Gmail API (users.messages.send)")})
    String protocol() default "smtp";

    @AttributeDefinition(name = "Authorization endpoint", description = "Google's, or a test or proxy endpoint")
    String authorizationUrl() default "https://accounts.google.com/o/oauth2/v2/auth";

    @AttributeDefinition(name = "Token endpoint", description = "Google's, or a test or proxy endpoint")
    String tokenUrl() default "https://oauth2.googleapis.com/token";

    @AttributeDefinition(name = "SMTP host")
    String smtpHost() default "smtp.gmail.com";

    @AttributeDefinition(name = "SMTP port", description = "STARTTLS")
    int smtpPort() default 587;

    @AttributeDefinition(name = "Gmail API root")
    String apiUrl() default "https://gmail.googleapis.com";

    @AttributeDefinition(name = "Trust store", required = false,
            description = "PKCS12 file of extra trusted certificates (private CA, proxy); empty = the JVM's trust store")
    String trustStore() default "";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false)
    String trustStorePassword() default "";

    @AttributeDefinition(name = "Connect timeout (seconds)")
    int connectTimeoutSeconds() default 30;

    @AttributeDefinition(name = "Read timeout (seconds)")
    int readTimeoutSeconds() default 60;

    @AttributeDefinition(name = "Concurrent connections",
            description = "0 = 3; SMTP connections or Gmail API requests at once (all nodes together while the outbox is in PostgreSQL)")
    int maxConnections() default 0;

    @AttributeDefinition(name = "Messages per day",
            description = "0 = Google's limit for the account: 2,000 (Google Workspace) or 500 (consumer Gmail)")
    int messagesPerDay() default 0;

    @AttributeDefinition(name = "Recipients per message",
            description = "0 = Google's limit for the account: none here (Google Workspace) or 100 (consumer Gmail)")
    int recipientsPerMessage() default 0;

    @AttributeDefinition(name = "Recipients per day",
            description = "0 = Google's limit for the account: 10,000 (Google Workspace) or none (consumer Gmail)")
    int recipientsPerDay() default 0;

    @AttributeDefinition(name = "Largest message (bytes)", description = "Gmail accepts 35 MB")
    long maxMessageSize() default 36700160L;

    @AttributeDefinition(name = "Keep-alive refresh (hours)",
            description = "Refreshes the sign-in this often so it does not lapse after 6 months without mail; 0 = off")
    int keepAliveHours() default 24;

    @AttributeDefinition(name = "Token key (several nodes)", type = AttributeType.PASSWORD, required = false,
            description = "With the outbox in PostgreSQL (notification.core store=postgresql): the sign-in is kept in"
                    + " the database, encrypted with this key, and serves every node. 32 random bytes in base64"
                    + " (openssl rand -base64 32), the same $[secret:name] on every node; empty = this node only")
    String tokenKey() default "";
}
