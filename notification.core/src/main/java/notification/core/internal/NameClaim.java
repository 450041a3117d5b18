package notification.core.internal;

import java.util.Map;
import java.util.Objects;
import notification.api.transport.TransportName;
import org.osgi.framework.Constants;

/** A transport's name with the configuration (PID and file) that gave it, to keep names unique across kinds. */
record NameClaim(String name, String configuration, String file) {

    /**
     * Reads the claim from a transport's service properties: {@link TransportName#CONFIGURATION}, else the service's
     * own {@code service.pid}, else its DS component name.
     *
     * @param props the service properties
     * @return the claim; {@code configuration} is {@code null} for a transport made by no configuration
     * @throws IllegalArgumentException when the name breaks the rule
     */
    static NameClaim of(Map<String, ?> props) {
        String name = TransportRegistry.nameOf(props);
        Object configuration = props.get(TransportName.CONFIGURATION);
        if (configuration == null) {
            configuration = props.get(Constants.SERVICE_PID);
        }
        if (configuration == null) {
            configuration = props.get("component.name");
        }
        Object file = props.get(TransportName.CONFIGURATION_FILE);
        return new NameClaim(name, configuration == null ? null : configuration.toString(),
                file == null ? null : file.toString());
    }

    /** Whether both come from one configuration (a transport re-registered after a change). */
    boolean sameConfiguration(NameClaim other) {
        return configuration == null || Objects.equals(configuration, other.configuration);
    }

    /** The sentence that refuses this claim because {@code owner} has the name. */
    String refusal(NameClaim owner) {
        return "Transport name \"" + name + "\" of configuration " + describe() + " is already used by configuration "
                + owner.describe() + " (names are compared without case, across every kind of transport): the "
                + "first keeps it, and this one is not used until it is renamed or the other is removed.";
    }

    private String describe() {
        return configuration + (file == null ? " (no file)" : " (file " + file + ")");
    }
}
