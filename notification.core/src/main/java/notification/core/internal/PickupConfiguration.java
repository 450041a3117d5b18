package notification.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the pickup-directory transport (PID {@code notification.pickup}). */
@ObjectClassDefinition(name = "Notification pickup directory",
        description = "The default transport: writes every message as an .eml file into <notification.data.dir>/pickup.")
public @interface PickupConfiguration {

    /** The PID. */
    String PID = "notification.pickup";

    @AttributeDefinition(name = "From address", description = "Sender address written into the messages.")
    String from() default "print-server@localhost";

    @AttributeDefinition(name = "From name", description = "Sender display name when not sent on behalf of someone.")
    String fromName() default "Print Server";
}
