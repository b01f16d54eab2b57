package cn.clinicaltext.workbench.data;

import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.io.Hashes;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes a split as {@code train.txt}, {@code val.txt}, {@code test.txt} in the corpus format, plus
 * {@code split.json} recording seed, ratios, counts and the SHA-256 of the source and of each file.
 * <p>
 * The three files are written as a set, with the manifest authoritative: nothing is written unless every split is
 * non-empty; all three are first written in full to temporary files beside their targets (so a full disk or a
 * folder in the way fails before anything is replaced); then the new {@code split.json} naming their hashes
 * replaces the old one; then the three are renamed into place. A process killed between those steps leaves files
 * whose hashes disagree with split.json, and {@link #read} refuses them ("an interrupted split"), so train and
 * test from two different splits are never used together. The disjointness check runs again on reading.
 */
public final class SplitFiles {
    public static final String[] NAMES = {"train", "val", "test"};
    public static final String MANIFEST = "split.json";

    private SplitFiles() {
    }

    /** Writes the split files and {@code split.json} naming the source corpus and its hash, as one set. */
    public static Map<String, Object> write(DataSplit split, Path dir, Corpus source) throws IOException {
        for (int i = 0; i < NAMES.length; i++) {
            if (split.parts().get(i).size() == 0) {
                throw new IllegalArgumentException("the " + NAMES[i] + " split would be empty (" + split.parts().get(0).size()
                        + " / " + split.parts().get(1).size() + " / " + split.parts().get(2).size()
                        + " texts); choose ratios that give every split texts, or a larger corpus. Nothing was written.");
            }
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("source", source.source() == null ? null : source.source().getFileName().toString());
        manifest.put("source_sha256", source.sha256());
        manifest.put("source_texts", source.size());
        manifest.put("seed", split.seed());
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("train", split.ratios().train());
        ratios.put("val", split.ratios().val());
        ratios.put("test", split.ratios().test());
        manifest.put("ratios", ratios);
        manifest.put("num_classes", split.train().numClasses());
        Map<String, Object> files = new LinkedHashMap<>();
        List<Path> temporaries = new ArrayList<>();
        try {
            for (int i = 0; i < NAMES.length; i++) {
                Corpus part = split.parts().get(i);
                StringBuilder text = new StringBuilder();
                for (LabeledText r : part.records()) {
                    text.append(r.text()).append('\t').append(r.label()).append('\n');
                }
                byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                Path file = dir.resolve(NAMES[i] + ".txt");
                Path tmp = AtomicFiles.temporaryFor(file, ".tmp");
                temporaries.add(tmp);
                try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC)) {
                    out.write(bytes);
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("file", file.getFileName().toString());
                entry.put("texts", part.size());
                entry.put("class_counts", part.classCounts());
                entry.put("sha256", Hashes.sha256(bytes));
                files.put(NAMES[i], entry);
            }
            manifest.put("splits", files);
            AtomicFiles.writeString(dir.resolve(MANIFEST),
                    new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(manifest) + "\n");
            for (int i = 0; i < NAMES.length; i++) {
                AtomicFiles.moveIntoPlace(temporaries.get(i), dir.resolve(NAMES[i] + ".txt"));
            }
        } finally {
            for (Path tmp : temporaries) {
                Files.deleteIfExists(tmp);
            }
        }
        return manifest;
    }

    /**
     * Reads a split folder; the seed comes from its split.json (-1 if absent), ratios are the actual shares. When
     * split.json is present, each file must have the hash it records.
     */
    public static DataSplit read(Path dir, int numClasses) throws IOException, CorpusFormatException {
        return read(dir, LabelNames.namesFor(numClasses));
    }

    /** As {@link #read(Path, int)}, the classes named. */
    public static DataSplit read(Path dir, List<String> labelNames) throws IOException, CorpusFormatException {
        Corpus train = CorpusReader.read(dir.resolve("train.txt"), labelNames);
        Corpus val = CorpusReader.read(dir.resolve("val.txt"), labelNames);
        Corpus test = CorpusReader.read(dir.resolve("test.txt"), labelNames);
        double total = train.size() + val.size() + test.size();
        SplitRatios actual = new SplitRatios(train.size() / total, val.size() / total, test.size() / total);
        long seed = DataSplit.NO_SEED;
        Path manifest = dir.resolve(MANIFEST);
        if (Files.exists(manifest)) {
            JsonObject json;
            try {
                json = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
            } catch (RuntimeException e) {
                throw new IOException(manifest + ": not a split manifest (" + e.getMessage() + ")", e);
            }
            seed = json.has("seed") ? json.get("seed").getAsLong() : DataSplit.NO_SEED;
            if (json.has("splits")) {
                Corpus[] parts = {train, val, test};
                for (int i = 0; i < NAMES.length; i++) {
                    JsonObject entry = json.getAsJsonObject("splits").getAsJsonObject(NAMES[i]);
                    if (entry != null && entry.has("sha256") && !entry.get("sha256").getAsString().equals(parts[i].sha256())) {
                        throw new IOException(dir.resolve(NAMES[i] + ".txt") + " is not the file " + manifest
                                + " records (SHA-256 differs): an interrupted or hand-edited split. Run the split again"
                                + " (or delete split.json to use the files as they are).");
                    }
                }
            }
        }
        return new DataSplit(train, val, test, seed, actual);
    }
}
