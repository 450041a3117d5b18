package notification.core.internal;

import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParameterList;
import jakarta.mail.internet.ParseException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an attachment's Content-Type and Content-Disposition fields: the file name as an RFC 2231 parameter,
 * percent-encoded UTF-8 split into continuations of short lines, plus a quoted ASCII {@code name=} on Content-Type
 * for readers that know neither (no encoded words inside quotes, which RFC 2047 section 5 forbids). Jakarta Mail's
 * {@code ParameterList} encodes such a value but does not split it: a long name would give a line of thousands of
 * octets. The media type's own parameters are still written by {@code ParameterList}.
 */
final class FileNameParameters {
    /** RFC 2231 attribute-chars kept as they are; '+' is percent-encoded too, as some readers take it for a space. */
    private static final String ATTRIBUTE_CHARS = "!#$&-.^_`|~";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** The longest value of one continuation, so that "\tfilename*12*=UTF-8''...;" stays within 76 characters. */
    private static final int SEGMENT = 48;

    private FileNameParameters() {
    }

    /**
     * Returns the Content-Type field with an ASCII {@code name} fallback.
     *
     * @param mediaType the checked media type, perhaps with parameters of its own
     * @param fileName the file name
     * @return the field, folded, without the final CRLF
     */
    static String contentType(String mediaType, String fileName) {
        StringBuilder out = new StringBuilder("Content-Type: ");
        try {
            ContentType type = new ContentType(mediaType);
            ParameterList own = type.getParameterList();
            out.append(type.getBaseType());
            if (own != null) {
                own.remove("name");
                out.append(own.toString(out.length()));
            }
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a media type: " + mediaType, e);
        }
        return out.append(";\r\n\tname=").append(quoted(asciiFallback(fileName))).toString();
    }

    /**
     * Returns the Content-Disposition field with the file name as an RFC 2231 parameter.
     *
     * @param fileName the file name
     * @return the field, folded, without the final CRLF
     */
    static String disposition(String fileName) {
        StringBuilder out = new StringBuilder("Content-Disposition: attachment");
        if (HeaderEncoder.isPrintableAscii(fileName) && fileName.length() <= SEGMENT) {
            return out.append(";\r\n\tfilename=").append(quoted(fileName)).toString();
        }
        List<String> segments = percentEncoded(fileName);
        if (segments.size() == 1) {
            return out.append(";\r\n\tfilename*=UTF-8''").append(segments.get(0)).toString();
        }
        for (int i = 0; i < segments.size(); i++) {
            out.append(";\r\n\tfilename*").append(i).append("*=").append(i == 0 ? "UTF-8''" : "")
                    .append(segments.get(i));
        }
        return out.toString();
    }

    /** The UTF-8 bytes percent-encoded, in segments that never split a character. */
    private static List<String> percentEncoded(String value) {
        List<String> segments = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        StringBuilder character = new StringBuilder();
        for (int i = 0; i < value.length(); i += Character.charCount(value.codePointAt(i))) {
            character.setLength(0);
            for (byte b : new String(Character.toChars(value.codePointAt(i))).getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if (c < 0x80 && (Character.isLetterOrDigit(c) || ATTRIBUTE_CHARS.indexOf(c) >= 0)) {
                    character.append((char) c);
                } else {
                    character.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
                }
            }
            if (segment.length() + character.length() > SEGMENT) {
                segments.add(segment.toString());
                segment.setLength(0);
            }
            segment.append(character);
        }
        segments.add(segment.toString());
        return segments;
    }

    /** The name in ASCII: accents dropped, any other character beyond ASCII as '_' (runs of them as one). */
    static String asciiFallback(String fileName) {
        String decomposed = Normalizer.normalize(fileName, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i += Character.charCount(decomposed.codePointAt(i))) {
            int cp = decomposed.codePointAt(i);
            if (Character.getType(cp) == Character.NON_SPACING_MARK) {
                continue;
            }
            if (cp >= 0x20 && cp < 0x7f) {
                out.append((char) cp);
            } else if (out.length() == 0 || out.charAt(out.length() - 1) != '_') {
                out.append('_');
            }
        }
        return out.length() > 255 ? out.substring(out.length() - 255) : out.toString();
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
