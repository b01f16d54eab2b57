package cn.clinicaltext.workbench.data;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Train, validation and test parts of one corpus, made by a stratified, seeded split: each class is shuffled
 * with {@link Random}(seed) and cut by the ratios, so every split keeps the class shares and the same seed gives
 * the same split on any machine and Java version.
 */
public record DataSplit(Corpus train, Corpus val, Corpus test, long seed, SplitRatios ratios) {

    public static final long DEFAULT_SEED = 42;
    /** The seed of a split that was given, not made here (files without split.json). */
    public static final long NO_SEED = -1;

    public DataSplit {
        requireDisjoint(train, val, test);
    }

    public static DataSplit stratified(Corpus corpus, SplitRatios ratios, long seed) {
        Deduplication dedup = Deduplication.of(corpus);
        if (dedup.removedCount() > 0) {
            throw new IllegalArgumentException("the corpus repeats " + dedup.removedCount()
                    + " texts; deduplicate it first (Deduplication.of) so no text lands in two splits");
        }
        Random random = new Random(seed);
        List<LabeledText> train = new ArrayList<>();
        List<LabeledText> val = new ArrayList<>();
        List<LabeledText> test = new ArrayList<>();
        for (int label = 0; label < corpus.numClasses(); label++) {
            List<LabeledText> ofClass = new ArrayList<>();
            for (LabeledText r : corpus.records()) {
                if (r.label() == label) {
                    ofClass.add(r);
                }
            }
            Collections.shuffle(ofClass, random);
            int n = ofClass.size();
            int nVal = (int) Math.round(n * ratios.val());
            int nTest = (int) Math.round(n * ratios.test());
            int nTrain = n - nVal - nTest;
            train.addAll(ofClass.subList(0, nTrain));
            val.addAll(ofClass.subList(nTrain, nTrain + nVal));
            test.addAll(ofClass.subList(nTrain + nVal, n));
        }
        Collections.shuffle(train, random);
        Collections.shuffle(val, random);
        Collections.shuffle(test, random);
        return new DataSplit(corpus.withRecords(train), corpus.withRecords(val), corpus.withRecords(test), seed, ratios);
    }

    /**
     * A given split with the deduplication of its texts applied: in each part, only records whose text and label the
     * deduplicated corpus kept, each text once. A text in two parts still fails (see {@link #requireDisjoint}).
     */
    public DataSplit keeping(Corpus deduplicated) {
        Map<String, Integer> kept = new HashMap<>();
        deduplicated.records().forEach(r -> kept.put(r.text(), r.label()));
        List<Corpus> parts = new ArrayList<>();
        for (Corpus part : parts()) {
            List<LabeledText> out = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (LabeledText r : part.records()) {
                Integer label = kept.get(r.text());
                if (label != null && label == r.label() && seen.add(r.text())) {
                    out.add(r);
                }
            }
            parts.add(part.withRecords(out));
        }
        return new DataSplit(parts.get(0), parts.get(1), parts.get(2), seed, ratios);
    }

    /**
     * Fails when a text is in two splits, naming the text and both splits: the original project once evaluated
     * its "test" score on the training file.
     */
    public static void requireDisjoint(Corpus train, Corpus val, Corpus test) {
        Map<String, String> seen = new HashMap<>();
        String[] names = {"train", "val", "test"};
        Corpus[] parts = {train, val, test};
        for (int i = 0; i < parts.length; i++) {
            for (LabeledText r : parts[i].records()) {
                String other = seen.putIfAbsent(r.text(), names[i]);
                if (other != null && !other.equals(names[i])) {
                    throw new IllegalArgumentException("text is in both " + other + " and " + names[i]
                            + (r.line() > 0 ? " (line " + r.line() + " of " + names[i] + ")" : "") + ": " + r.text());
                }
            }
        }
    }

    /** Texts and class shares of each split, to check that stratification kept the class balance. */
    public Table summary() {
        List<String> names = train.labelNames();
        var split = StringColumn.create("split");
        var texts = IntColumn.create("texts");
        var table = Table.create(seed == NO_SEED ? "Split as given" : "Stratified split, seed " + seed, split, texts);
        List<DoubleColumn> shares = new ArrayList<>();
        for (String name : names) {
            var column = DoubleColumn.create(name + " share");
            shares.add(column);
            table.addColumns(column);
        }
        String[] partNames = {"train", "val", "test"};
        for (int i = 0; i < 3; i++) {
            Corpus part = parts().get(i);
            split.append(partNames[i]);
            texts.append(part.size());
            long[] counts = part.classCounts();
            for (int c = 0; c < counts.length; c++) {
                shares.get(c).append(Math.round(1000.0 * counts[c] / Math.max(1, part.size())) / 1000.0);
            }
        }
        return table;
    }

    public List<Corpus> parts() {
        return List.of(train, val, test);
    }
}
