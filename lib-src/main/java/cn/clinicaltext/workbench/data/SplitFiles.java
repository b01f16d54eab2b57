package cn.clinicaltext.workbench.data;

import cn.clinicaltext.workbench.io.AtomicFiles;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes a split as {@code train.txt}, {@code val.txt}, {@code test.txt} in the corpus format, plus
 * {@code split.json} recording seed, ratios, counts and the SHA-256 of the source and of each file.
 * Every file is written atomically; the disjointness check runs again on reading.
 */
public final class SplitFiles {
    public static final String[] NAMES = {"train", "val", "test"};

    private SplitFiles() {
    }

    public static Map<String, Object> write(DataSplit split, Path dir) throws IOException {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("seed", split.seed());
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("train", split.ratios().train());
        ratios.put("val", split.ratios().val());
        ratios.put("test", split.ratios().test());
        manifest.put("ratios", ratios);
        Corpus source = split.train();
        manifest.put("num_classes", source.numClasses());
        Map<String, Object> files = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            Corpus part = split.parts().get(i);
            StringBuilder text = new StringBuilder();
            for (LabeledText r : part.records()) {
                text.append(r.text()).append('\t').append(r.label()).append('\n');
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            Path file = dir.resolve(NAMES[i] + ".txt");
            AtomicFiles.write(file, out -> out.write(bytes));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", file.getFileName().toString());
            entry.put("texts", part.size());
            entry.put("class_counts", part.classCounts());
            entry.put("sha256", Hashes.sha256(bytes));
            files.put(NAMES[i], entry);
        }
        manifest.put("splits", files);
        return manifest;
    }

    /** Writes the split files and {@code split.json} naming the source corpus and its hash. */
    public static Map<String, Object> write(DataSplit split, Path dir, Corpus source) throws IOException {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("source", source.source() == null ? null : source.source().getFileName().toString());
        manifest.put("source_sha256", source.sha256());
        manifest.put("source_texts", source.size());
        manifest.putAll(write(split, dir));
        AtomicFiles.writeString(dir.resolve("split.json"),
                new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(manifest) + "\n");
        return manifest;
    }

    /** Reads a split folder; the seed comes from its split.json (-1 if absent), ratios are the actual shares. */
    public static DataSplit read(Path dir, int numClasses) throws IOException, CorpusFormatException {
        Corpus train = CorpusReader.read(dir.resolve("train.txt"), numClasses);
        Corpus val = CorpusReader.read(dir.resolve("val.txt"), numClasses);
        Corpus test = CorpusReader.read(dir.resolve("test.txt"), numClasses);
        double total = train.size() + val.size() + test.size();
        SplitRatios actual = new SplitRatios(train.size() / total, val.size() / total, test.size() / total);
        long seed = -1;
        Path manifest = dir.resolve("split.json");
        if (java.nio.file.Files.exists(manifest)) {
            var json = com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(manifest)).getAsJsonObject();
            seed = json.has("seed") ? json.get("seed").getAsLong() : -1;
        }
        return new DataSplit(train, val, test, seed, actual);
    }
}
