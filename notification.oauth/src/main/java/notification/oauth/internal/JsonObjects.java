package notification.oauth.internal;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Reads small JSON objects: id_token claims and Graph error bodies. */
final class JsonObjects {

    private JsonObjects() {
    }

    /**
     * Parses a JSON object.
     *
     * @param json the text
     * @return its members, or an empty map if it is not a JSON object
     */
    static Map<String, Object> parse(String json) {
        try (JsonReader reader = JsonProviders.createReader(json)) {
            reader.nextToken();
            Map<String, Object> map = reader.readMap(JsonReader::readUntyped);
            return map == null ? Map.of() : map;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /**
     * Reads the claims of a JWT without checking its signature (it came straight from the token endpoint over TLS).
     *
     * @param jwt the token
     * @return the payload's claims, or an empty map
     */
    static Map<String, Object> jwtClaims(String jwt) {
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
        if (parts.length < 2) {
            return Map.of();
        }
        try {
            return parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    static String string(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value == null ? null : String.valueOf(value);
    }
}
