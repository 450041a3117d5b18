package notification.api.transport;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Checks a proposed configuration of one kind of transport before it is saved, with the rules its metatype cannot
 * express (for example "required only for delegated sign-in", or "http only for localhost").
 *
 * <p>A transport bundle registers one validator per factory PID it configures, as a service with the
 * {@link #FACTORY_PID} property. The console calls it with the configuration it is about to save (stored keys merged
 * with what the administrator typed) and shows every problem beside its field.
 */
@ConsumerType
public interface TransportConfigurationValidator {

    /** Service property: the factory PID whose configurations this validator checks (String). */
    String FACTORY_PID = "notification.transport.factoryPid";

    /**
     * Checks a proposed configuration. Must not contact any server and must not throw for bad values.
     *
     * <p>Each problem is phrased to follow the attribute's name as the metatype labels it, for example
     * {@code "is required for delegated sign-in"} for the key {@code clientId} (the console shows "Client ID is
     * required for delegated sign-in"). A problem never repeats a secret's value.
     *
     * @param properties the proposed configuration: property keys to values as Config Admin would store them
     *        (strings, numbers, booleans; secrets possibly as {@code $[secret:name]} references)
     * @return the problems, keyed by the property key they are about; empty when the configuration is acceptable
     */
    Map<String, String> problems(Map<String, Object> properties);
}
