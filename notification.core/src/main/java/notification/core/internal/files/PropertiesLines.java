package notification.core.internal.files;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Changes the values of a {@code key=value} file the way an administrator would by hand: comments, blank lines, the
 * order of the keys and every line whose value did not change stay byte for byte as they were; a changed value is
 * rewritten in place, a removed key loses its line, a new key is appended at the end.
 */
final class PropertiesLines {

    /** One logical line: its raw text with continuation lines and line end, and its key (null for a comment). */
    private record Line(String raw, String key, String value) {
    }

    private PropertiesLines() {
    }

    /**
     * Returns the file's text with the given values.
     *
     * @param existing the file's current text, or {@code null} when there is no file yet
     * @param values every key the file must hold, with its value as text
     * @param header the comment line(s) to start a new file with, each ending with a line end
     * @return the new text
     */
    static String merge(String existing, Map<String, String> values, String header) {
        if (existing == null) {
            StringBuilder created = new StringBuilder(header);
            new TreeMap<>(values).forEach((k, v) -> created.append(line(k, v)).append('\n'));
            return created.toString();
        }
        List<Line> lines = parse(existing);
        String lineEnd = existing.contains("\r\n") ? "\r\n" : "\n";
        Map<String, Integer> lastOccurrence = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).key != null) {
                lastOccurrence.put(lines.get(i).key, i);
            }
        }
        StringBuilder out = new StringBuilder(existing.length() + 64);
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (l.key == null) {
                out.append(l.raw);
                continue;
            }
            String wanted = values.get(l.key);
            if (wanted == null) {
                continue; // the key was removed
            }
            String current = lines.get(lastOccurrence.get(l.key)).value;
            if (current.equals(wanted)) {
                out.append(l.raw); // unchanged: every occurrence stays as written
            } else if (i == lastOccurrence.get(l.key)) {
                out.append(line(l.key, wanted)).append(l.raw.endsWith("\n") || l.raw.endsWith("\r") ? lineEnd : "");
            }
            // an earlier occurrence of a changed key is dropped: the rewritten last one is the value
        }
        Map<String, String> added = new TreeMap<>(values);
        added.keySet().removeAll(lastOccurrence.keySet());
        if (!added.isEmpty() && out.length() > 0 && out.charAt(out.length() - 1) != '\n'
                && out.charAt(out.length() - 1) != '\r') {
            out.append(lineEnd);
        }
        added.forEach((k, v) -> out.append(line(k, v)).append(lineEnd));
        return out.toString();
    }

    /**
     * Reads a file's values as {@link Properties} does (the last occurrence of a key wins), values trimmed.
     *
     * @param text the file's text
     * @return the values
     */
    static Map<String, String> values(String text) {
        Map<String, String> values = new TreeMap<>();
        for (Line l : parse(text)) {
            if (l.key != null) {
                values.put(l.key, l.value);
            }
        }
        return values;
    }

    private static List<Line> parse(String text) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = start;
            boolean entry = false;
            boolean decided = false;
            while (true) {
                int lineEnd = endOfLine(text, end);
                String content = text.substring(end, contentEnd(text, end, lineEnd));
                if (!decided) {
                    String stripped = content.stripLeading();
                    entry = !stripped.isEmpty() && stripped.charAt(0) != '#' && stripped.charAt(0) != '!';
                    decided = true;
                }
                end = lineEnd;
                if (!entry || !continues(content) || end >= text.length()) {
                    break;
                }
            }
            String raw = text.substring(start, end);
            lines.add(entry ? entry(raw) : new Line(raw, null, null));
            start = end;
        }
        return lines;
    }

    private static Line entry(String raw) {
        Properties one = new Properties();
        try {
            one.load(new StringReader(raw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException malformed) {
            return new Line(raw, null, null); // a malformed \\u escape: Properties would refuse the file; keep the line
        }
        String key = one.stringPropertyNames().stream().findFirst().orElse(null);
        return key == null ? new Line(raw, null, null) : new Line(raw, key, one.getProperty(key).trim());
    }

    /** Returns the index after the line's end (CR, LF or CRLF), or the text's length. */
    private static int endOfLine(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                return i + 1;
            }
            if (c == '\r') {
                return i + 1 < text.length() && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
            }
        }
        return text.length();
    }

    private static int contentEnd(String text, int from, int lineEnd) {
        int end = lineEnd;
        while (end > from && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return end;
    }

    /** A line continues on the next when it ends with an odd number of backslashes. */
    private static boolean continues(String content) {
        int backslashes = 0;
        for (int i = content.length() - 1; i >= 0 && content.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** Writes one {@code key=value} line (no line end), escaping only what the properties format needs. */
    static String line(String key, String value) {
        StringBuilder b = new StringBuilder(key.length() + value.length() + 1);
        escape(key, true, b);
        b.append('=');
        escape(value, false, b);
        return b.toString();
    }

    private static void escape(String s, boolean key, StringBuilder b) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\f' -> b.append("\\f");
                case ' ' -> b.append(key || i == 0 ? "\\ " : " ");
                case '=', ':' -> b.append(key ? "\\" + c : String.valueOf(c));
                case '#', '!' -> b.append(key && i == 0 ? "\\" + c : String.valueOf(c));
                default -> b.append(c);
            }
        }
    }
}
