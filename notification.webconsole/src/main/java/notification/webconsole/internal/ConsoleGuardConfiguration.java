package notification.webconsole.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration {@code notification.webconsole}: the host names the console and the OAuth callback answer to. */
@ObjectClassDefinition(name = "Notifications console: allowed host names",
        description = "The console and the OAuth callback answer only requests addressed to localhost, this machine's "
                + "addresses and names, and the names listed here (for example a reverse proxy's name).")
@interface ConsoleGuardConfiguration {

    @AttributeDefinition(name = "Allowed hosts", required = false,
            description = "More host names or addresses (without port) that browsers use to reach the console, "
                    + "for example printserver.example.org or the name of a reverse proxy.")
    String[] allowedHosts() default {};
}
