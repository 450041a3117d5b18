package notification.webconsole.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import notification.api.authorization.InteractiveAuthorization;
import notification.api.transport.MailTransport;
import notification.api.transport.TransportConfigurationValidator;
import notification.api.transport.TransportName;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Keeps the transports, interactive authorizations and configuration validators that come and go, findable by
 * transport name or factory PID.
 */
@Component(service = TransportDirectory.class)
public final class TransportDirectory {

    /** A transport service with its name and type. */
    record Transport(String name, String type, MailTransport service) {
    }

    private final Map<MailTransport, Transport> transports = new ConcurrentHashMap<>();
    private final Map<InteractiveAuthorization, Boolean> authorizations = new ConcurrentHashMap<>();
    private final Map<TransportConfigurationValidator, String> validators = new ConcurrentHashMap<>();

    /** Creates the empty directory; DS binds the services. */
    public TransportDirectory() {
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTransport(MailTransport transport, Map<String, Object> properties) {
        transports.put(transport, new Transport(nameOf(properties), string(properties.get(MailTransport.TYPE)),
                transport));
    }

    void updatedTransport(MailTransport transport, Map<String, Object> properties) {
        bindTransport(transport, properties);
    }

    void unbindTransport(MailTransport transport) {
        transports.remove(transport);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAuthorization(InteractiveAuthorization authorization) {
        authorizations.put(authorization, Boolean.TRUE);
    }

    void unbindAuthorization(InteractiveAuthorization authorization) {
        authorizations.remove(authorization);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindValidator(TransportConfigurationValidator validator, Map<String, Object> properties) {
        validators.put(validator, string(properties.get(TransportConfigurationValidator.FACTORY_PID)));
    }

    void unbindValidator(TransportConfigurationValidator validator) {
        validators.remove(validator);
    }

    /**
     * Finds the validator a transport kind publishes.
     *
     * @param factoryPid the factory PID
     * @return the validator
     */
    Optional<TransportConfigurationValidator> validatorFor(String factoryPid) {
        return validators.entrySet().stream().filter(e -> e.getValue().equals(factoryPid)).map(Map.Entry::getKey)
                .findFirst();
    }

    /**
     * Finds a transport by name.
     *
     * @param name the transport name
     * @return the transport
     */
    Optional<Transport> transport(String name) {
        return transports.values().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * Returns every transport present.
     *
     * @return the transports
     */
    List<Transport> transports() {
        return List.copyOf(transports.values());
    }

    /**
     * Finds the interactive authorization of a transport.
     *
     * @param transportName the transport name
     * @return the authorization
     */
    Optional<InteractiveAuthorization> authorizationFor(String transportName) {
        return authorizations.keySet().stream().filter(a -> transportName.equals(a.transportName())).findFirst();
    }

    /**
     * Finds the interactive authorization that issued a callback's state and is still waiting for it.
     *
     * @param state the state parameter
     * @return the authorization
     */
    Optional<InteractiveAuthorization> recognizing(String state) {
        return authorizations.keySet().stream().filter(a -> a.recognizes(state)).findFirst();
    }

    /**
     * Applies the transport naming rule: the name property, else "name", else the part of service.pid after "~".
     *
     * @param properties the service properties
     * @return the transport name, or an empty string
     */
    static String nameOf(Map<String, Object> properties) {
        try {
            return TransportName.ofService(properties).value();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String string(Object value) {
        if (value instanceof String[] array) {
            return array.length > 0 ? array[0] : "";
        }
        return value == null ? "" : value.toString();
    }
}
