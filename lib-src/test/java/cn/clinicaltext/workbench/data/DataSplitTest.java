package cn.clinicaltext.workbench.data;

import cn.clinicaltext.workbench.io.Hashes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class DataSplitTest {
    private static Corpus corpus(int perClass) {
        List<LabeledText> records = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < perClass * (c + 1); i++) {
                records.add(new LabeledText("text " + c + "-" + i, c, records.size() + 1));
            }
        }
        return Corpus.of(records, 3);
    }

    @Test
    void stratifiedEightOneOneKeepsClassShares() {
        DataSplit split = DataSplit.stratified(corpus(100), SplitRatios.DEFAULT, 7);
        assertArrayEquals(new long[]{80, 160, 240}, split.train().classCounts());
        assertArrayEquals(new long[]{10, 20, 30}, split.val().classCounts());
        assertArrayEquals(new long[]{10, 20, 30}, split.test().classCounts());
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        Corpus c = corpus(50);
        assertEquals(DataSplit.stratified(c, SplitRatios.DEFAULT, 1).test().texts(),
                DataSplit.stratified(c, SplitRatios.DEFAULT, 1).test().texts());
        assertNotEquals(DataSplit.stratified(c, SplitRatios.DEFAULT, 1).test().texts(),
                DataSplit.stratified(c, SplitRatios.DEFAULT, 2).test().texts());
    }

    @Test
    void everyTextLandsInExactlyOneSplit() {
        Corpus c = corpus(37);
        DataSplit split = DataSplit.stratified(c, SplitRatios.DEFAULT, 3);
        Set<String> seen = new HashSet<>();
        split.parts().forEach(p -> p.texts().forEach(t -> assertTrue(seen.add(t), "twice: " + t)));
        assertEquals(new HashSet<>(c.texts()), seen);
    }

    @Test
    void refusesACorpusWithRepeats() {
        Corpus c = Corpus.of(List.of(new LabeledText("a", 0), new LabeledText("a", 0), new LabeledText("b", 1)), 3);
        assertThrows(IllegalArgumentException.class, () -> DataSplit.stratified(c, SplitRatios.DEFAULT, 1));
    }

    @Test
    void overlapBetweenSplitsIsNamed() {
        Corpus train = Corpus.of(List.of(new LabeledText("胃镜", 1, 4)), 3);
        Corpus test = Corpus.of(List.of(new LabeledText("胃镜", 1, 9)), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSplit.requireDisjoint(train, Corpus.of(List.of(), 3), test));
        assertTrue(e.getMessage().contains("both train and test"), e.getMessage());
        assertTrue(e.getMessage().contains("胃镜"));
    }

    @Test
    void writesFilesAndManifestAndReadsThemBack(@TempDir Path dir) throws Exception {
        DataSplit split = DataSplit.stratified(corpus(20), SplitRatios.DEFAULT, 5);
        SplitFiles.write(split, dir, corpus(20));
        for (String name : List.of("train.txt", "val.txt", "test.txt", "split.json")) {
            assertTrue(Files.exists(dir.resolve(name)), name);
        }
        try (var files = Files.list(dir)) {
            assertEquals(4, files.count(), "no temporary files left behind");
        }
        String manifest = Files.readString(dir.resolve("split.json"));
        assertTrue(manifest.contains("\"seed\": 5"));
        assertTrue(manifest.contains(Hashes.sha256(dir.resolve("test.txt"))));
        DataSplit back = SplitFiles.read(dir, 3);
        assertEquals(split.train().texts(), back.train().texts());
        assertEquals(5, back.seed());
    }

    @Test
    void aSplitIsWrittenAsASetOrNotAtAll(@TempDir Path dir) throws Exception {
        SplitFiles.write(DataSplit.stratified(corpus(20), SplitRatios.DEFAULT, 5), dir, corpus(20));
        byte[] oldTrain = Files.readAllBytes(dir.resolve("train.txt"));
        byte[] oldManifest = Files.readAllBytes(dir.resolve("split.json"));
        // a folder where val.txt should go: the new split fails before anything is replaced
        Files.delete(dir.resolve("val.txt"));
        Files.createDirectories(dir.resolve("val.txt"));
        IOException e = assertThrows(IOException.class,
                () -> SplitFiles.write(DataSplit.stratified(corpus(20), SplitRatios.DEFAULT, 6), dir, corpus(20)));
        assertTrue(e.getMessage().contains("val.txt") && e.getMessage().contains("directory"), e.getMessage());
        assertArrayEquals(oldTrain, Files.readAllBytes(dir.resolve("train.txt")), "train.txt untouched");
        assertArrayEquals(oldManifest, Files.readAllBytes(dir.resolve("split.json")), "split.json untouched");
        try (var files = Files.list(dir)) {
            assertEquals(4, files.count(), "no temporary files left behind");
        }
        // empty splits are refused before writing
        Path other = dir.resolve("other");
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> SplitFiles.write(DataSplit.stratified(corpus(20), new SplitRatios(1, 0, 0), 6), other, corpus(20)));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        assertFalse(Files.exists(other.resolve("train.txt")));
        assertThrows(IllegalArgumentException.class, () -> new SplitRatios(Double.NaN, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SplitRatios(8, Double.POSITIVE_INFINITY, 1));
    }

    @Test
    void filesFromAnInterruptedSplitAreRefused(@TempDir Path dir) throws Exception {
        SplitFiles.write(DataSplit.stratified(corpus(20), SplitRatios.DEFAULT, 5), dir, corpus(20));
        byte[] oldTest = Files.readAllBytes(dir.resolve("test.txt"));
        SplitFiles.write(DataSplit.stratified(corpus(20), SplitRatios.DEFAULT, 6), dir, corpus(20));
        Files.write(dir.resolve("test.txt"), oldTest);         // as if killed before test.txt was renamed
        IOException e = assertThrows(IOException.class, () -> SplitFiles.read(dir, 3));
        assertTrue(e.getMessage().contains("test.txt") && e.getMessage().contains("interrupted"), e.getMessage());
        Files.delete(dir.resolve("split.json"));
        IllegalArgumentException leak = assertThrows(IllegalArgumentException.class, () -> SplitFiles.read(dir, 3));
        assertTrue(leak.getMessage().contains("both train and test"), "and without the manifest the leak is caught");
        SplitFiles.write(DataSplit.stratified(corpus(20), SplitRatios.DEFAULT, 6), dir, corpus(20));
        Files.delete(dir.resolve("split.json"));
        assertEquals(-1, SplitFiles.read(dir, 3).seed(), "hand-made splits without a manifest are still read");
    }

    @Test
    void dedupMergesRepeatsAndResolvesConflictsByPolicy() {
        Corpus c = Corpus.of(List.of(new LabeledText("a", 0, 1), new LabeledText("a", 0, 2),
                new LabeledText("b", 1, 3), new LabeledText("b", 2, 4), new LabeledText("b", 2, 5),
                new LabeledText("c", 1, 6), new LabeledText("c", 2, 7)), 3);
        Deduplication drop = Deduplication.of(c);
        assertEquals(DuplicatePolicy.DROP_ALL, drop.policy(), "the default drops conflicting texts");
        assertEquals(List.of("a"), drop.kept().texts());
        assertEquals(1, drop.removed().size());
        assertEquals(2, drop.conflicts().size());
        assertEquals(List.of(3, 4, 5), drop.conflicts().get(0).copies().stream().map(LabeledText::line).toList());
        assertTrue(drop.conflicts().get(0).dropped());
        assertEquals(6, drop.removedCount(), "7 records, 1 kept");
        assertEquals(2, drop.conflictsTable().rowCount());
        assertTrue(drop.conflictsTable().stringColumn("decision").get(0).contains("dropped"));

        Deduplication majority = Deduplication.of(c, DuplicatePolicy.MAJORITY);
        assertEquals(List.of("a", "b"), majority.kept().texts(), "b: two copies say 2, one says 1; c is a tie");
        assertEquals(2, majority.kept().records().get(1).label());
        assertEquals(4, majority.kept().records().get(1).line(), "the first copy with the majority label");
        assertTrue(majority.conflicts().get(1).dropped(), "a tie is dropped");
        assertEquals(c.size() - majority.kept().size(), majority.removedCount());

        Deduplication first = Deduplication.of(c, DuplicatePolicy.KEEP_FIRST);
        assertEquals(List.of("a", "b", "c"), first.kept().texts());
        assertEquals(List.of(0, 1, 1), first.kept().records().stream().map(LabeledText::label).toList());
        assertEquals(c.size() - first.kept().size(), first.removedCount());
    }
}
