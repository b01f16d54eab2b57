package cn.clinicaltext.workbench.tokenizer;

import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.io.InputFiles;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT vocabulary: one token per line, the line number (from 0) is the id.
 * <p>
 * Lines are split on {@code \n} only: the Chinese BERT vocabulary holds U+2028 (a Unicode line separator) as a
 * token, so a reader that splits on every line break would shift every later id.
 */
public final class Vocabulary {
    public static final String PAD = "[PAD]";
    public static final String UNK = "[UNK]";
    public static final String CLS = "[CLS]";
    public static final String SEP = "[SEP]";
    public static final String MASK = "[MASK]";

    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final int unkId;
    private final int clsId;
    private final int sepId;
    private final int padId;

    public Vocabulary(List<String> tokens) {
        this.tokens = Collections.unmodifiableList(new ArrayList<>(tokens));
        Map<String, Integer> map = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            map.putIfAbsent(tokens.get(i), i);
        }
        this.ids = map;
        this.unkId = required(UNK);
        this.clsId = required(CLS);
        this.sepId = required(SEP);
        this.padId = required(PAD);
    }

    private int required(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("vocabulary has no " + token + " token");
        }
        return id;
    }

    public static Vocabulary load(Path file) throws IOException {
        byte[] bytes = InputFiles.readAllBytes(file, "vocabulary file");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not valid UTF-8 (" + e.getMessage() + ")", e);
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.endsWith("\r")) {
                lines.set(i, line.substring(0, line.length() - 1));
            }
        }
        try {
            return new Vocabulary(lines);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The WordPiece vocabulary of a Hugging Face {@code tokenizer.json} ({@code model.vocab}, token to id), as the
     * tokenizers library writes it: ids must run 0..n-1 without gaps; a tokenizer of another kind (BPE, Unigram) is
     * refused. {@code where} names the file in errors.
     */
    public static Vocabulary fromTokenizerJson(String json, String where) throws IOException {
        try {
            JsonObject model = JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("model");
            if (model == null || !model.has("vocab")) {
                throw new IOException(where + ": no model.vocab (not a Hugging Face tokenizer.json?)");
            }
            String type = model.has("type") ? model.get("type").getAsString() : "";
            if (!type.equals("WordPiece")) {
                throw new IOException(where + ": a " + type + " tokenizer; only WordPiece (BERT's) is read");
            }
            JsonObject vocab = model.getAsJsonObject("vocab");
            String[] tokens = new String[vocab.size()];
            for (Map.Entry<String, JsonElement> e : vocab.entrySet()) {
                int id = e.getValue().getAsInt();
                if (id < 0 || id >= tokens.length || tokens[id] != null) {
                    throw new IOException(where + ": token " + e.getKey() + " has id " + id + ", outside 0.."
                            + (tokens.length - 1) + " or taken twice");
                }
                tokens[id] = e.getKey();
            }
            return new Vocabulary(List.of(tokens));
        } catch (RuntimeException e) {
            throw new IOException(where + ": not a readable tokenizer.json (" + e.getMessage() + ")", e);
        }
    }

    public void save(Path file) throws IOException {
        AtomicFiles.writeString(file, String.join("\n", tokens) + "\n");
    }

    public int size() {
        return tokens.size();
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The token's id, or the id of {@code [UNK]}. */
    public int id(String token) {
        return ids.getOrDefault(token, unkId);
    }

    public String token(int id) {
        return tokens.get(id);
    }

    public List<String> tokens() {
        return tokens;
    }

    public int unkId() {
        return unkId;
    }

    public int clsId() {
        return clsId;
    }

    public int sepId() {
        return sepId;
    }

    public int padId() {
        return padId;
    }
}
