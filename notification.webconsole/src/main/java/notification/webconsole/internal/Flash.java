package notification.webconsole.internal;

import java.util.Map;

/**
 * A message shown once on the next page view, after a POST redirected back to the page.
 *
 * @param level how it is shown: "ok", "info", "warn" or "error"
 * @param text the message in words; encoded when rendered
 * @param draft form values to show again after a refused Apply (never secrets), or an empty map
 * @param problems what is wrong, per form field, after a refused Apply, or an empty map
 */
record Flash(String level, String text, Map<String, String> draft, Map<String, String> problems) {

    Flash {
        draft = draft == null ? Map.of() : Map.copyOf(draft);
        problems = problems == null ? Map.of() : Map.copyOf(problems);
    }

    Flash(String level, String text, Map<String, String> draft) {
        this(level, text, draft, null);
    }

    static Flash ok(String text) {
        return new Flash("ok", text, null);
    }

    static Flash info(String text) {
        return new Flash("info", text, null);
    }

    static Flash warn(String text) {
        return new Flash("warn", text, null);
    }

    static Flash error(String text) {
        return new Flash("error", text, null);
    }
}
