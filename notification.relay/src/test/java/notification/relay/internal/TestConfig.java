package notification.relay.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** Builds a {@link RelayConfiguration} from key-value pairs the way DS does: missing keys take their defaults. */
final class TestConfig {
    private final Map<String, Object> values = new HashMap<>();

    static TestConfig relay(String host, int port) {
        return new TestConfig().with("host", host).with("port", port).with("from", "scanner@example.com")
                .with("fromName", "Scanner").with("security", "none");
    }

    TestConfig with(String key, Object value) {
        values.put(key, value);
        return this;
    }

    RelayConfiguration build() {
        Map<String, Object> copy = Map.copyOf(values);
        return (RelayConfiguration) Proxy.newProxyInstance(RelayConfiguration.class.getClassLoader(),
                new Class<?>[] {RelayConfiguration.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "test relay configuration"
                                : method.getName().equals("hashCode") ? System.identityHashCode(proxy)
                                : proxy == args[0];
                    }
                    Object v = copy.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }
}
