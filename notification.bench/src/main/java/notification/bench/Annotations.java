package notification.bench;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.Map;

/** Makes a configuration annotation instance from values, the way DS does; missing values take their defaults. */
final class Annotations {

    private Annotations() {
    }

    static <A extends Annotation> A of(Class<A> type, Map<String, Object> values) {
        Map<String, Object> copy = Map.copyOf(values);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "toString" -> type.getSimpleName() + copy;
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> proxy == args[0];
                };
            }
            if (method.getName().equals("annotationType")) {
                return type;
            }
            Object v = copy.get(method.getName());
            return v != null ? v : method.getDefaultValue();
        }));
    }
}
