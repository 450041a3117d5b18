package notification.webconsole.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/** Reads each transport's configuration schema from the metatype its bundle declares (MetaTypeService). */
final class TransportSchemas {
    /** Keys that are about the console or the transport's identity, never edited as settings. */
    private static final Set<String> NOT_SETTINGS = Set.of("name", "webconsole.configurationFactory.nameHint");

    private final BundleContext context;
    private final MetaTypeService metaType;

    TransportSchemas(BundleContext context, MetaTypeService metaType) {
        this.context = context;
        this.metaType = metaType;
    }

    /**
     * Returns the schema a bundle declares for a factory PID.
     *
     * @param factoryPid for example "notification.oauth.microsoft"
     * @return the schema, empty when no active bundle declares it
     */
    Optional<TransportSchema> forFactory(String factoryPid) {
        if (factoryPid == null) {
            return Optional.empty();
        }
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() != Bundle.ACTIVE) {
                continue;
            }
            MetaTypeInformation info = metaType.getMetaTypeInformation(bundle);
            if (info != null && List.of(info.getFactoryPids()).contains(factoryPid)) {
                return Optional.of(schema(factoryPid, info.getObjectClassDefinition(factoryPid, null)));
            }
        }
        return Optional.empty();
    }

    /**
     * Converts a metatype object class definition to the page's schema.
     *
     * @param factoryPid the factory PID
     * @param ocd the definition
     * @return the schema
     */
    static TransportSchema schema(String factoryPid, ObjectClassDefinition ocd) {
        List<TransportSchema.Field> fields = new ArrayList<>();
        AttributeDefinition[] all = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        for (AttributeDefinition ad : all == null ? new AttributeDefinition[0] : all) {
            if (NOT_SETTINGS.contains(ad.getID())) {
                continue;
            }
            List<TransportSchema.Choice> choices = new ArrayList<>();
            String[] values = ad.getOptionValues();
            String[] labels = ad.getOptionLabels();
            for (int i = 0; values != null && i < values.length; i++) {
                choices.add(new TransportSchema.Choice(values[i], labels != null && i < labels.length ? labels[i]
                        : values[i]));
            }
            String[] defaults = ad.getDefaultValue();
            fields.add(new TransportSchema.Field(ad.getID(), ad.getName() == null ? ad.getID() : ad.getName(),
                    ad.getDescription(), kind(ad.getType()), choices,
                    defaults == null || defaults.length == 0 ? "" : String.join(",", defaults)));
        }
        return new TransportSchema(factoryPid, ocd.getName(), fields);
    }

    private static TransportSchema.Kind kind(int type) {
        return switch (type) {
            case AttributeDefinition.PASSWORD -> TransportSchema.Kind.PASSWORD;
            case AttributeDefinition.INTEGER, AttributeDefinition.SHORT, AttributeDefinition.BYTE ->
                    TransportSchema.Kind.INTEGER;
            case AttributeDefinition.LONG -> TransportSchema.Kind.LONG;
            case AttributeDefinition.BOOLEAN -> TransportSchema.Kind.BOOLEAN;
            default -> TransportSchema.Kind.TEXT;
        };
    }
}
