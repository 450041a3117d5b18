package notification.itest.console;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The settings of the test-only probe transport: keys the console has never heard of. */
@ObjectClassDefinition(name = "Probe transport", description = "A transport that exists only in the tests.")
@interface ProbeTransportConfiguration {

    @AttributeDefinition(name = "Probe flavour", description = "Which flavour the probe reports.", options = {
        @Option(value = "vanilla", label = "Plain vanilla"),
        @Option(value = "chocolate", label = "Dark chocolate")})
    String flavour() default "vanilla";

    @AttributeDefinition(name = "Probe depth (metres)", description = "How deep the probe goes.")
    int depth() default 3;

    @AttributeDefinition(name = "Probe token", type = AttributeType.PASSWORD, required = false)
    String token() default "";
}
