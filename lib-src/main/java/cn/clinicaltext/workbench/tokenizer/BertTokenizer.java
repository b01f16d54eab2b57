package cn.clinicaltext.workbench.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * BERT's WordPiece tokenizer, producing the same ids as bert4keras 0.10.8's
 * {@code Tokenizer(vocab, do_lower_case=True).encode(text, maxlen=maxlen)}, the tokenizer of the original project.
 * <ol>
 *   <li>lower-case, NFD-normalise and drop combining marks (accent stripping);</li>
 *   <li>split: punctuation (ASCII symbols and Unicode P*) and CJK ideographs become single tokens, whitespace
 *       separates, NUL, U+FFFD and control/format characters (Cc, Cf) are dropped;</li>
 *   <li>WordPiece: greedy longest match, continuation pieces prefixed {@code ##}; a piece found nowhere in the
 *       vocabulary becomes one character (mapped to [UNK]); a word longer than {@value #WORD_MAXLEN} characters
 *       is one token ([UNK]);</li>
 *   <li>[CLS] + tokens + [SEP], cut to maxlen by dropping tokens before [SEP].</li>
 * </ol>
 * Lengths count Unicode code points, as Python does, so characters outside the BMP (rare CJK, emoji) count once.
 * Google's BERT caps words at 100 characters; bert4keras caps at 200, and ids must match bert4keras.
 */
public final class BertTokenizer {
    public static final int WORD_MAXLEN = 200;

    private final Vocabulary vocabulary;

    public BertTokenizer(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Token ids and tokens of one text, with [CLS] and [SEP], at most {@code maxlen} long (0 = no limit). */
    public Encoding encode(String text, int maxlen) {
        List<String> pieces = tokenize(text);
        if (maxlen > 0 && maxlen < 2) {
            throw new IllegalArgumentException("maxlen must leave room for [CLS] and [SEP], got " + maxlen);
        }
        int keep = maxlen > 0 ? Math.min(pieces.size(), maxlen - 2) : pieces.size();
        int[] ids = new int[keep + 2];
        List<String> tokens = new ArrayList<>(keep + 2);
        ids[0] = vocabulary.clsId();
        for (int i = 0; i < keep; i++) {
            ids[i + 1] = vocabulary.id(pieces.get(i));
        }
        ids[keep + 1] = vocabulary.sepId();
        for (int id : ids) {
            tokens.add(vocabulary.token(id));
        }
        return new Encoding(ids, tokens);
    }

    /** WordPiece pieces of a text, without [CLS]/[SEP]; pieces not in the vocabulary are kept as they are. */
    public List<String> tokenize(String text) {
        List<String> pieces = new ArrayList<>();
        for (String word : basicTokenize(text)) {
            wordPiece(word, pieces);
        }
        return pieces;
    }

    /** Cleaning, lower-casing with accent stripping and splitting into words, punctuation and characters. */
    public static List<String> basicTokenize(String text) {
        String lowered = stripAccents(text.toLowerCase(Locale.ROOT));
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < lowered.length(); ) {
            int cp = lowered.codePointAt(i);
            i += Character.charCount(cp);
            if (isPunctuation(cp) || isCjk(cp)) {
                flush(word, words);
                words.add(new String(Character.toChars(cp)));
            } else if (isSpace(cp)) {
                flush(word, words);
            } else if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                continue;
            } else {
                word.appendCodePoint(cp);
            }
        }
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (word.length() > 0) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    /**
     * Greedy longest-match WordPiece, as bert4keras's {@code _word_piece_tokenize}: when some position of the word
     * matches no piece, the whole word is one token (so one [UNK]), not the pieces found so far plus single
     * characters; a word longer than {@link #WORD_MAXLEN} code points is one token too.
     */
    private void wordPiece(String word, List<String> out) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > WORD_MAXLEN) {
            out.add(word);
            return;
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < cps.length) {
            int end = cps.length;
            String piece = null;
            while (end > start) {
                String candidate = (start > 0 ? "##" : "") + new String(cps, start, end - start);
                if (vocabulary.contains(candidate)) {
                    piece = candidate;
                    break;
                }
                end--;
            }
            if (piece == null) {
                out.add(word);
                return;
            }
            pieces.add(piece);
            start = end;
        }
        out.addAll(pieces);
    }

    static String stripAccents(String text) {
        String nfd = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(nfd.length());
        nfd.codePoints().filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK).forEach(out::appendCodePoint);
        return out.toString();
    }

    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** CJK Unified Ideographs and their extensions A-E, plus the compatibility blocks (BERT's definition). */
    static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /**
     * Whitespace: space, tab, CR, LF and Unicode space separators (Zs). U+2028/U+2029 also separate words,
     * because Python's {@code str.split()} in the reference splits on them.
     */
    static boolean isSpace(int cp) {
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    static boolean isControl(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT;
    }
}
