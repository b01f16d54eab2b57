package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.data.TextLines;
import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import cn.clinicaltext.workbench.tokenizer.Encoding;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Reads texts from standard input, one per line, and prints one JSON object per line"
                + " with token_ids and tokens (bert4keras-compatible ids).")
final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--vocab", required = true, description = "vocab.txt of a BERT/ALBERT checkpoint")
    Path vocab;

    @Option(names = "--maxlen", defaultValue = "512", description = "maximum length with [CLS] and [SEP], 0 = no limit (default ${DEFAULT-VALUE})")
    int maxlen;

    @Override
    public Integer call() throws Exception {
        if (maxlen < 0 || maxlen == 1 || maxlen == 2) {
            throw new IllegalArgumentException("--maxlen must be 0 (no limit) or at least 3 ([CLS], a token, [SEP]), got "
                    + maxlen);
        }
        BertTokenizer tokenizer = new BertTokenizer(Vocabulary.load(vocab));
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        for (String line : TextLines.read(System.in, "standard input")) {
            Encoding e = tokenizer.encode(line, maxlen);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("token_ids", e.tokenIds());
            json.put("tokens", e.tokens());
            out.println(gson.toJson(json));
        }
        out.flush();
        return 0;
    }
}
