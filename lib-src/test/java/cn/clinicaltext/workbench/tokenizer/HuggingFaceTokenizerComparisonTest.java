package cn.clinicaltext.workbench.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The workbench tokenizer (bert4keras 0.10.8's rules, the original project's) against Hugging Face tokenizers (the
 * Rust library, through DJL's Java binding) reading bge-small-zh-v1.5's own tokenizer.json from the Maven jar, over
 * every text in data/ and the tokenizer goldens. Both use the same vocabulary; the normalizers differ in one
 * setting: bert4keras lower-cases and strips accents ({@code do_lower_case=True}), bge's tokenizer.json has
 * {@code "lowercase": false} (and so strips no accents). So the ids must be the same for every text without
 * upper-case letters or accents, and each text where they differ must differ only there: the test checks that
 * lower-casing and stripping accents first makes Hugging Face's ids equal to ours, and prints examples.
 * <p>
 * Why the workbench keeps bert4keras's rule for bge too: the Chinese BERT vocabulary holds lower-case Latin pieces
 * only, so with bge's tokenizer.json every capitalised word of a report becomes [UNK] (EUS, MDT, Barrett, B超 -> [UNK]),
 * while lower-casing keeps them (e ##us, md ##t, bar ##re ##tt, b). On data/ (2026-12-04) 42% of the texts hold such
 * a word; the two tokenizers agree on every other text.
 */
class HuggingFaceTokenizerComparisonTest {

    @Test
    void sameIdsAsHuggingFaceTokenizersOrEveryDifferenceExplained(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("tokenizer.json");
        try (InputStream in = PretrainedStart.class.getResourceAsStream("/bge-small-zh-v1.5-tokenizer.json")) {
            Files.copy(in, json);
        }
        BertTokenizer ours = new BertTokenizer(Vocabulary.fromTokenizerJson(Files.readString(json), json.toString()));
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("data"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".txt") && !p.endsWith("labels.txt")).sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    int tab = line.indexOf('\t');
                    texts.add(tab >= 0 ? line.substring(0, tab) : line);
                }
            }
        }
        for (String line : Files.readAllLines(Path.of("lib-src/test/resources/reference/tokenizer-golden.jsonl"))) {
            texts.add(JsonParser.parseString(line).getAsJsonObject().get("text").getAsString());
        }
        int same = 0;
        Map<String, String> differences = new LinkedHashMap<>();
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(json)
                .optAddSpecialTokens(true).optTruncation(false).optPadding(false).build()) {
            for (String text : texts) {
                int[] mine = ours.encode(text, 0).tokenIds();
                int[] theirs = toInt(hf.encode(text).getIds());
                if (Arrays.equals(mine, theirs)) {
                    same++;
                    continue;
                }
                // the one setting that differs: lower-case and strip accents as bert4keras does, then compare again
                String normalised = BertTokenizer.stripAccents(text.toLowerCase(Locale.ROOT));
                int[] explained = toInt(hf.encode(normalised).getIds());
                assertArrayEquals(mine, explained, "a difference not explained by lower-casing and accents: " + text);
                assertFalse(text.equals(normalised), "ids differ but the text has nothing to lower-case: " + text);
                differences.put(text, "ours " + ours.encode(text, 0).tokens() + ", Hugging Face "
                        + Arrays.toString(hf.encode(text).getTokens()));
            }
        }
        assertEquals(21128, ours.vocabulary().size(), "the Chinese BERT vocabulary");
        System.out.printf("tokenizer vs Hugging Face tokenizers (bge-small-zh-v1.5's tokenizer.json): %d of %d texts"
                + " the same ids; the others (%d distinct) differ only by lower-casing or accents, e.g.:%n", same,
                texts.size(), differences.size());
        differences.entrySet().stream().limit(5).forEach(e -> System.out.println("  " + e.getKey() + "\n    " + e.getValue()));
        assertTrue(same > 0, "no text tokenized alike");
    }

    private static int[] toInt(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }
}
