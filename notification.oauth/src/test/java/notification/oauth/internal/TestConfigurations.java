package notification.oauth.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** Builds {@link MicrosoftTransportConfiguration}s from maps, as Declarative Services would from Config Admin. */
final class TestConfigurations {

    private TestConfigurations() {
    }

    static MicrosoftTransportConfiguration of(Map<String, ?> values) {
        Map<String, Object> copy = new HashMap<>(values);
        return (MicrosoftTransportConfiguration) Proxy.newProxyInstance(
                MicrosoftTransportConfiguration.class.getClassLoader(),
                new Class<?>[] {MicrosoftTransportConfiguration.class},
                (proxy, method, args) -> value(method, copy));
    }

    private static Object value(Method method, Map<String, Object> values) {
        if (method.getDeclaringClass() == Object.class) {
            throw new UnsupportedOperationException(method.getName());
        }
        Object value = values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
        if (value instanceof String s && method.getReturnType() == int.class) {
            return Integer.parseInt(s);
        }
        return value;
    }
}
