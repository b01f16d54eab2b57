package cn.clinicaltext.workbench.data;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The lines of a UTF-8 text file's bytes: a byte-order mark skipped, LF or CRLF ends, invalid UTF-8 reported. */
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
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
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

    /** What to tell a user whose line is not valid UTF-8. */
    static final String NOT_UTF8 = "not valid UTF-8 (is the file in GBK? save it as UTF-8)";
}
