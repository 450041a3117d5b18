package notification.oauth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of one Microsoft 365 sending mailbox (factory PID {@code notification.oauth.microsoft}). */
@ObjectClassDefinition(name = "Notification transport: Microsoft 365 (OAuth2)",
        description = "Sends as one Microsoft 365 mailbox through SMTP with XOAUTH2 or Microsoft Graph sendMail.")
@interface MicrosoftTransportConfiguration {

    /** @return the console's label for a configuration of this factory */
    String webconsole_configurationFactory_nameHint() default "{name} {username}";

    @AttributeDefinition(name = "Name", required = false,
            description = "Transport name used in notification.core's 'transports'; empty = the configuration's name")
    String name() default "";

    @AttributeDefinition(name = "Cloud", options = {
        @Option(value = "global", label = "Global"),
        @Option(value = "usgov-gcchigh", label = "US Government (GCC High)"),
        @Option(value = "usgov-dod", label = "US Government (DoD)"),
        @Option(value = "china", label = "China (21Vianet)"),
        @Option(value = "custom", label = "Custom (authority URL, SMTP host/port, scopes, Graph root set by hand)")})
    String cloud() default "global";

    @AttributeDefinition(name = "Tenant ID", required = false,
            description = "Directory (tenant) ID or a verified domain of the tenant")
    String tenantId() default "";

    @AttributeDefinition(name = "Client ID", required = false, description = "Application (client) ID")
    String clientId() default "";

    @AttributeDefinition(name = "Client secret", type = AttributeType.PASSWORD, required = false,
            description = "The secret's Value (not its Secret ID); may be $[secret:name]")
    String clientSecret() default "";

    @AttributeDefinition(name = "Client secret expires", required = false,
            description = "Optional: the secret's expiry date as Entra shows it (yyyy-MM-dd). From 30 days before, the"
                    + " status warns, an event is posted and the administrator alert (notification.core alertTo) asks"
                    + " for a new secret before mail stops.")
    String secretExpires() default "";

    @AttributeDefinition(name = "Username", required = false, description = "The sending mailbox, e.g. scanner@contoso.com")
    String username() default "";

    @AttributeDefinition(name = "Redirect URI", description = "Registered in the app registration, platform Web")
    String redirectUri() default "http://localhost:9191/azure-oauth2-callback";

    @AttributeDefinition(name = "Protocol", options = {
        @Option(value = "smtp", label = "SMTP with XOAUTH2"),
        @Option(value = "graph", label = "Microsoft Graph sendMail")})
    String protocol() default "smtp";

    @AttributeDefinition(name = "Authorization mode", options = {
        @Option(value = "delegated", label = "Delegated (an administrator signs in as the mailbox once)"),
        @Option(value = "app", label = "App-only (client credentials; no sign-in)")})
    String authMode() default "delegated";

    @AttributeDefinition(name = "Authority URL (custom)", required = false,
            description = "e.g. https://login.example.com/<tenant>/ ; a URL without a path gets the tenant ID")
    String authorityUrl() default "";

    @AttributeDefinition(name = "SMTP host (custom)", required = false)
    String smtpHost() default "";

    @AttributeDefinition(name = "SMTP port (custom)")
    int smtpPort() default 587;

    @AttributeDefinition(name = "SMTP scope (custom)", required = false,
            description = "Delegated scope, e.g. https://outlook.office.com/SMTP.Send ; app-only uses <resource>/.default")
    String smtpScope() default "";

    @AttributeDefinition(name = "Graph root (custom)", required = false, description = "e.g. https://graph.microsoft.com")
    String graphUrl() default "";

    @AttributeDefinition(name = "Graph scope (custom)", required = false,
            description = "Delegated scope, e.g. https://graph.microsoft.com/Mail.Send")
    String graphScope() default "";

    @AttributeDefinition(name = "Trust store", required = false,
            description = "PKCS12 file of extra trusted certificates (private CA); empty = the JVM's trust store")
    String trustStore() default "";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false)
    String trustStorePassword() default "";

    @AttributeDefinition(name = "Connect timeout (seconds)")
    int connectTimeoutSeconds() default 30;

    @AttributeDefinition(name = "Read timeout (seconds)")
    int readTimeoutSeconds() default 60;

    @AttributeDefinition(name = "Concurrent connections", description = "0 = 3 for SMTP, 4 for Graph")
    int maxConnections() default 0;

    @AttributeDefinition(name = "Messages per minute")
    int messagesPerMinute() default 30;

    @AttributeDefinition(name = "Recipients per day")
    int recipientsPerDay() default 10000;

    @AttributeDefinition(name = "Largest message (bytes)")
    long maxMessageSize() default 36700160L;

    @AttributeDefinition(name = "Keep-alive refresh (hours)",
            description = "Refreshes the sign-in this often so it does not lapse after 90 days without mail; 0 = off")
    int keepAliveHours() default 24;

    @AttributeDefinition(name = "Back-off after 432 4.3.2 (seconds)")
    int throttleBackoffSeconds() default 60;

    @AttributeDefinition(name = "Token key (several nodes)", type = AttributeType.PASSWORD, required = false,
            description = "With the outbox in PostgreSQL (notification.core store=postgresql): the sign-in is kept in"
                    + " the database, encrypted with this key, and serves every node. 32 random bytes in base64"
                    + " (openssl rand -base64 32), the same $[secret:name] on every node; empty = this node only")
    String tokenKey() default "";
}
