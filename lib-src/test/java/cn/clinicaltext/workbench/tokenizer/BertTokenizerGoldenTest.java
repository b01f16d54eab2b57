package cn.clinicaltext.workbench.tokenizer;

import cn.clinicaltext.workbench.testing.SharedReference;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Acceptance: ids identical to bert4keras 0.10.8 on every line of the shared golden file. */
class BertTokenizerGoldenTest {

    @Test
    void vocabularyHas21128EntriesWithTheUsualSpecialIds() throws Exception {
        Vocabulary vocab = Vocabulary.load(SharedReference.require("reference/chinese-bert-vocab.txt"));
        assertEquals(21128, vocab.size());
        assertEquals(0, vocab.padId());
        assertEquals(100, vocab.unkId());
        assertEquals(101, vocab.clsId());
        assertEquals(102, vocab.sepId());
        assertEquals("\u2028", vocab.token(343), "U+2028 is a token: split on \\n only");
    }

    @Test
    void everyGoldenLineMatches() throws Exception {
        Vocabulary vocab = Vocabulary.load(SharedReference.require("reference/chinese-bert-vocab.txt"));
        Path golden = SharedReference.require("reference/tokenizer-golden.jsonl");
        BertTokenizer tokenizer = new BertTokenizer(vocab);
        List<String> mismatches = new ArrayList<>();
        int lines = 0;
        for (String line : Files.readAllLines(golden, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            lines++;
            JsonObject g = JsonParser.parseString(line).getAsJsonObject();
            int maxlen = g.get("maxlen").getAsInt();
            String text = g.get("text").getAsString();
            int[] expected = new int[g.getAsJsonArray("token_ids").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = g.getAsJsonArray("token_ids").get(i).getAsInt();
            }
            List<String> expectedTokens = new ArrayList<>();
            g.getAsJsonArray("tokens").forEach(t -> expectedTokens.add(t.getAsString()));
            Encoding got = tokenizer.encode(text, maxlen);
            if (!Arrays.equals(expected, got.tokenIds()) || !expectedTokens.equals(got.tokens())) {
                mismatches.add("maxlen=" + maxlen + " " + text + "\n  expected " + expectedTokens
                        + "\n  got      " + got.tokens());
            }
        }
        assertTrue(lines >= 64, "golden file has " + lines + " lines");
        assertEquals(List.of(), mismatches, mismatches.size() + " of " + lines + " golden lines differ");
    }
}
