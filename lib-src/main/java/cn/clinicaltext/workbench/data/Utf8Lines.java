package cn.clinicaltext.workbench.data;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a text file's bytes, UTF-8 unless told otherwise: a UTF-8 byte-order mark skipped, LF or CRLF ends,
 * a line that is not valid in the encoding reported.
 */
final class Utf8Lines {
    private Utf8Lines() {
    }

    /** Receives each line with its number (from 1); {@code text} is null when the line is not valid UTF-8. */
    @FunctionalInterface
    interface LineConsumer {
        /** Returns false to stop reading. */
        boolean accept(int lineNo, String text);
    }

    static void forEach(byte[] bytes, LineConsumer consumer) {
        forEach(bytes, StandardCharsets.UTF_8, consumer);
    }

    /**
     * The same for text in another encoding whose line feed is the single byte 0x0A and never part of another
     * character (GB18030 and GBK, Big5, the ISO-8859 and Windows code pages: {@link #splitsOnLineFeed}); a line
     * that is not valid in it is reported as for UTF-8.
     */
    static void forEach(byte[] bytes, Charset charset, LineConsumer consumer) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        boolean utf8 = charset.equals(StandardCharsets.UTF_8);
        int start = utf8 && bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        int lineNo = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNo++;
            int stop = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            String line;
            try {
                line = decoder.decode(ByteBuffer.wrap(bytes, start, stop - start)).toString();
            } catch (CharacterCodingException e) {
                line = null;
            }
            start = end + 1;
            if (!consumer.accept(lineNo, line)) {
                return;
            }
        }
    }

    /**
     * Whether lines of this encoding can be found by their 0x0A bytes: ASCII's line feed is that one byte and no
     * multi-byte character holds it (not so in UTF-16 or UTF-32, whose every character is two or four bytes).
     */
    static boolean splitsOnLineFeed(Charset charset) {
        if (!charset.canEncode()) {
            return false;
        }
        String ascii = "text,label\t09\n";
        return Arrays.equals(ascii.getBytes(charset), ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** What to tell a user whose line is not valid UTF-8. */
    static final String NOT_UTF8 = "not valid UTF-8 (is the file in GBK? save it as UTF-8)";
}
