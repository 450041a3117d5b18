package notification.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Writes whole header fields as RFC 5322 / RFC 2047 text: plain ASCII where it reads back unchanged, UTF-8 "B"
 * encoded words otherwise, folded between tokens so that lines with encoded words stay within 76 characters and no
 * line exceeds 998. Hand-written rather than Jakarta Mail's {@code MimeUtility.encodeText}: that one looks its stream
 * provider up through the ServiceLoader on every call (about 0.3 ms here, more than the whole submit path) and
 * sizes its first encoded word without the header name, so a long name pushes the first line beyond 76.
 */
final class HeaderEncoder {
    static final int FOLD_AT = 76;
    /** The longest plain word kept as is; longer ones are encoded, so that a line never exceeds 998. */
    private static final int LONGEST_PLAIN_WORD = 900;
    private static final String PREFIX = "=?UTF-8?B?";
    private static final int OVERHEAD = PREFIX.length() + 2;
    /** 45 UTF-8 bytes make 60 base64 characters: an encoded word of 72, a folded line of 73. */
    private static final int WORD_BYTES = 45;
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private HeaderEncoder() {
    }

    /**
     * Writes an unstructured field (a subject, an extra header).
     *
     * @param name the field name
     * @param text the text, without CR or LF
     * @return the field, folded, without the final CRLF
     */
    static String text(String name, String text) {
        Folder f = new Folder(name + ":");
        if (text.isEmpty()) {
            return f.toString();
        }
        if (readsBackPlain(text)) {
            for (String word : text.split(" ")) {
                f.token(word, true);
            }
        } else {
            f.encoded(text);
        }
        return f.toString();
    }

    /**
     * Writes an address field (To, Cc, Reply-To, From).
     *
     * @param name the field name
     * @param names the display names, each {@code null} for none
     * @param addresses the addresses, as they go on the wire
     * @return the field, folded, without the final CRLF
     */
    static String addresses(String name, List<String> names, List<String> addresses) {
        Folder f = new Folder(name + ":");
        for (int i = 0; i < addresses.size(); i++) {
            String display = names.get(i);
            if (display != null && !display.isBlank()) {
                phrase(f, display);
            }
            String separator = i < addresses.size() - 1 ? "," : "";
            f.token((display != null && !display.isBlank() ? "<" + addresses.get(i) + ">" : addresses.get(i))
                    + separator, true);
        }
        return f.toString();
    }

    /** A display name: atoms as they are, short ASCII names quoted, anything else as encoded words. */
    private static void phrase(Folder f, String name) {
        if (isAtoms(name)) {
            for (String word : name.split(" ")) {
                f.token(word, true);
            }
        } else if (isPrintableAscii(name) && !name.contains("=?") && name.length() <= 60) {
            f.token("\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"", true);
        } else {
            f.encoded(name);
        }
    }

    /** Atoms separated by single spaces: a phrase that needs neither quotes nor encoding. */
    private static boolean isAtoms(String name) {
        if (name.isEmpty() || name.startsWith(" ") || name.endsWith(" ") || name.contains("  ")
                || name.contains("=?") || name.length() > LONGEST_PLAIN_WORD) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean atext = c < 128 && (Character.isLetterOrDigit(c) || ATEXT_SPECIALS.indexOf(c) >= 0);
            if (!atext && c != ' ') {
                return false;
            }
        }
        return true;
    }

    /** Whether unstructured text reads back unchanged without encoding once folded at its spaces. */
    private static boolean readsBackPlain(String text) {
        if (!isPrintableAscii(text) || text.startsWith(" ") || text.endsWith(" ") || text.contains("  ")
                || text.contains("=?")) {
            return false;
        }
        int word = 0;
        for (int i = 0; i < text.length(); i++) {
            word = text.charAt(i) == ' ' ? 0 : word + 1;
            if (word > LONGEST_PLAIN_WORD) {
                return false;
            }
        }
        return true;
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

    /** A field being written: tokens separated by folding white space, a line break before one that would not fit. */
    private static final class Folder {
        final StringBuilder out = new StringBuilder(128);
        int column;

        Folder(String start) {
            out.append(start);
            column = start.length();
        }

        void token(String token, boolean spaceBefore) {
            if (spaceBefore && column + 1 + token.length() > FOLD_AT && column > 1 && !token.isEmpty()) {
                out.append("\r\n");
                column = 0;
            }
            if (spaceBefore) {
                out.append(' ');
                column++;
            }
            out.append(token);
            column += token.length();
        }

        /** Text as encoded words: the first sized to the room left on the line, never splitting a character. */
        void encoded(String text) {
            Base64.Encoder base64 = Base64.getEncoder();
            int budget = bytesFitting(FOLD_AT - column - 1);
            if (budget < 4) {
                budget = WORD_BYTES;
            }
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            int start = 0;
            do {
                int end = start;
                while (end < utf8.length && end + sequenceLength(utf8[end]) - start <= budget) {
                    end += sequenceLength(utf8[end]);
                }
                token(PREFIX + base64.encodeToString(Arrays.copyOfRange(utf8, start, end)) + "?=", true);
                start = end;
                budget = WORD_BYTES;
            } while (start < utf8.length);
        }

        private static int bytesFitting(int room) {
            return (room - OVERHEAD) / 4 * 3;
        }

        private static int sequenceLength(byte lead) {
            int b = lead & 0xff;
            return b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
