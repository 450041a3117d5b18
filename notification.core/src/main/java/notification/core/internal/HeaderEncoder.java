package notification.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Writes header values as RFC 5322 / RFC 2047 text: ASCII where possible, UTF-8 encoded words otherwise, folded. */
final class HeaderEncoder {
    private static final int MAX_WORD_BYTES = 45;
    private static final int FOLD_AT = 76;
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~ ";

    private HeaderEncoder() {
    }

    /**
     * Encodes unstructured text (a subject, an extra header's value).
     *
     * @param name the header name, for the length of the first line
     * @param text the text, without CR or LF
     * @return the value, folded
     */
    static String text(String name, String text) {
        if (isPrintableAscii(text)) {
            if (name.length() + 2 + text.length() <= FOLD_AT) {
                return text; // fits on the header's first line: nothing to fold
            }
            String folded = foldAtSpaces(name.length() + 2, text);
            if (folded.lines().allMatch(l -> l.length() <= 900)) {
                return folded;
            }
        }
        return String.join("\r\n ", encodedWords(text));
    }

    /**
     * Encodes a display name as a phrase: as is, quoted, or as encoded words.
     *
     * @param name the display name
     * @return the phrase
     */
    static String phrase(String name) {
        if (!isPrintableAscii(name)) {
            return String.join(" ", encodedWords(name));
        }
        boolean atoms = name.chars().allMatch(c -> Character.isLetterOrDigit(c) || ATEXT_SPECIALS.indexOf(c) >= 0);
        return atoms ? name : "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Formats a mailbox.
     *
     * @param name the display name, or null
     * @param address the address
     * @return "phrase &lt;address&gt;" or the bare address
     */
    static String mailbox(String name, String address) {
        return name == null || name.isBlank() ? address : phrase(name) + " <" + address + ">";
    }

    static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static String foldAtSpaces(int used, String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        int column = used;
        String[] words = text.split(" ", -1);
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            if (i > 0) {
                if (column + 1 + word.length() > FOLD_AT && !word.isEmpty()) {
                    out.append("\r\n");
                    column = 0;
                }
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
        }
        return out.toString();
    }

    private static List<String> encodedWords(String text) {
        List<String> words = new ArrayList<>();
        Base64.Encoder b64 = Base64.getEncoder();
        StringBuilder chunk = new StringBuilder();
        int chunkBytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            int bytes = ch.getBytes(StandardCharsets.UTF_8).length;
            if (chunkBytes + bytes > MAX_WORD_BYTES) {
                words.add("=?UTF-8?B?" + b64.encodeToString(chunk.toString().getBytes(StandardCharsets.UTF_8)) + "?=");
                chunk.setLength(0);
                chunkBytes = 0;
            }
            chunk.append(ch);
            chunkBytes += bytes;
            i += Character.charCount(cp);
        }
        if (chunk.length() > 0 || words.isEmpty()) {
            words.add("=?UTF-8?B?" + b64.encodeToString(chunk.toString().getBytes(StandardCharsets.UTF_8)) + "?=");
        }
        return words;
    }
}
