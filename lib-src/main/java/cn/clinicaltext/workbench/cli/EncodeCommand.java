package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.checkpoint.AlbertCheckpoint;
import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.model.Encoder;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;
import com.google.gson.Gson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Prints the encoder's final hidden states and the [CLS] vector after the embeddings and after"
                + " each layer, as JSON, for token ids or a text.")
final class EncodeCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true,
            description = "TF checkpoint prefix (dir/albert_model.ckpt) or a saved model folder")
    Path checkpoint;

    @Option(names = "--config", description = "albert_config.json (default: beside the checkpoint)")
    Path config;

    @Option(names = "--ids", description = "token ids separated by spaces, e.g. \"101 7 9 102\"")
    String ids;

    @Option(names = "--segments", description = "segment ids separated by spaces (default all 0)")
    String segments;

    @Option(names = "--text", description = "a text to tokenize instead of --ids")
    String text;

    @Option(names = "--vocab", description = "vocab.txt for --text (default: beside the checkpoint)")
    Path vocab;

    @Override
    public Integer call() throws Exception {
        AlbertParams params;
        Vocabulary vocabulary = null;
        if (Files.isDirectory(checkpoint) && Files.exists(checkpoint.resolve(SavedModel.WEIGHTS))) {
            SavedModel.Loaded loaded = SavedModel.load(checkpoint);
            params = loaded.params();
            vocabulary = loaded.model().vocabulary();
        } else {
            Path dir = checkpoint.toAbsolutePath().getParent();
            Path configFile = config != null ? config : dir.resolve("albert_config.json");
            params = AlbertCheckpoint.load(checkpoint, AlbertConfig.read(configFile), 2, 0).params();
            if (Files.exists(dir.resolve("vocab.txt"))) {
                vocabulary = Vocabulary.load(dir.resolve("vocab.txt"));
            }
        }
        try (AlbertParams loaded = params) {               // the weights' native memory, freed when done
            encode(loaded, vocabulary);
        }
        return 0;
    }

    /** Prints the final hidden states and the [CLS] vector after every layer of the text or ids given. */
    private void encode(AlbertParams params, Vocabulary vocabulary) throws IOException {
        if (vocab != null) {
            vocabulary = Vocabulary.load(vocab);
        }
        int[] tokenIds;
        if (text != null) {
            if (vocabulary == null) {
                throw new IllegalArgumentException("--text needs a vocabulary: give --vocab");
            }
            tokenIds = new BertTokenizer(vocabulary).encode(text, params.config().maxPositionEmbeddings()).tokenIds();
        } else if (ids != null) {
            tokenIds = parse(ids);
        } else {
            throw new IllegalArgumentException("give --ids or --text");
        }
        int[] seg = segments == null ? new int[tokenIds.length] : parse(segments);
        if (seg.length != tokenIds.length) {
            throw new IllegalArgumentException("--segments has " + seg.length + " ids, --ids has " + tokenIds.length);
        }
        float[] mask = new float[tokenIds.length];
        Arrays.fill(mask, 1f);
        Batch batch = new Batch(1, tokenIds.length, tokenIds, seg, mask);
        int h = params.config().hiddenSize();
        try (var f = Encoder.forward(params, batch, null, true)) {
            float[] all = f.output().toArray();
            float[][] finalHidden = new float[tokenIds.length][];
            for (int t = 0; t < tokenIds.length; t++) {
                finalHidden[t] = Arrays.copyOfRange(all, t * h, (t + 1) * h);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("token_ids", tokenIds);
            json.put("final_hidden", finalHidden);
            json.put("cls_per_layer", f.clsPerLayer().toArray(new float[0][]));
            System.out.println(new Gson().toJson(json));
        }
    }

    private static int[] parse(String s) {
        try {
            return Arrays.stream(s.trim().split("[\\s,]+")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a list of integers: " + s);
        }
    }
}
