package cn.clinicaltext.workbench.io;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.data.SplitFiles;
import cn.clinicaltext.workbench.data.SplitRatios;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import cn.clinicaltext.workbench.tokenizer.CharVocabularyBuilder;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;
import cn.clinicaltext.workbench.train.Adam;
import cn.clinicaltext.workbench.train.TrainingLoop;
import cn.clinicaltext.workbench.train.TrainingState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A save that fails at each of its renames in turn (a crash between writing a file and putting it in place) leaves
 * the previous version loadable and whole: a model predicts as the old or the new one, never a mix that fails; a
 * training state resumes; a split reads as the old one or is refused, never as train and test of two splits.
 */
class FaultInjectionTest {
    @AfterEach
    void noHook() {
        AtomicFiles.beforeRename = null;
    }

    /** Runs {@code save} failing at rename k = 1, 2, ... until a save completes; checks after each failure. */
    private static void failAtEachRename(IoAction save, IoAction afterFailure) throws Exception {
        for (int k = 1; ; k++) {
            AtomicInteger renames = new AtomicInteger();
            int failAt = k;
            AtomicFiles.beforeRename = target -> {
                if (renames.incrementAndGet() == failAt) {
                    throw new IOException("injected crash before renaming " + target);
                }
            };
            try {
                save.run();
                AtomicFiles.beforeRename = null;
                return;                                      // k is past the last rename: the save completed
            } catch (IOException e) {
                AtomicFiles.beforeRename = null;
                assertTrue(e.getMessage().contains("injected"), e.getMessage());
                afterFailure.run();
            }
        }
    }

    @FunctionalInterface
    interface IoAction {
        void run() throws Exception;
    }

    @Test
    void savingAModel(@TempDir Path dir) throws Exception {
        List<String> texts = List.of("胃镜：慢性浅表性胃炎", "结肠息肉", "胆囊结石");
        Vocabulary vocab = CharVocabularyBuilder.fromTexts(texts, 1);
        AlbertConfig config = new AlbertConfig(vocab.size(), 8, 8, 1, 2, 16, 32, 2, "gelu", 1e-12f, 0.2f, 0f, 0f);
        List<String> labels = List.of("a", "b", "c");
        Path run = dir.resolve("run");
        try (AlbertParams oldP = AlbertParams.initialise(config, 3, 1); AlbertParams newP = AlbertParams.initialise(config, 3, 2)) {
            new SavedModel(config, 3, 32, labels, vocab, Map.of("note", "old")).save(run, oldP);
            float[] oldProbs = new TextClassifier(oldP, new BertTokenizer(vocab), labels, 32).predict(texts.get(0)).probabilities();
            float[] newProbs = new TextClassifier(newP, new BertTokenizer(vocab), labels, 32).predict(texts.get(0)).probabilities();
            failAtEachRename(() -> new SavedModel(config, 3, 32, labels, vocab, Map.of("note", "new")).save(run, newP), () -> {
                TextClassifier c = SavedModel.classifier(run);
                float[] p = c.predict(texts.get(0)).probabilities();
                c.params().close();
                assertTrue(Arrays.equals(p, oldProbs) || Arrays.equals(p, newProbs), "the old or the new model, whole");
            });
            TextClassifier done = SavedModel.classifier(run);
            assertArrayEquals(newProbs, done.predict(texts.get(0)).probabilities());
            done.params().close();
        }
    }

    @Test
    void savingATrainingState(@TempDir Path dir) throws Exception {
        AlbertConfig config = new AlbertConfig(30, 8, 8, 1, 2, 16, 32, 2, "gelu", 1e-12f, 0.2f, 0f, 0f);
        try (AlbertParams p = AlbertParams.initialise(config, 2, 1); Adam adam = new Adam(p, 0.9f, 0.999f, 1e-6f)) {
            var plan = new TrainingLoop.Plan(dir, "test", "f", 100, 10, true, 0);
            TrainingState.save(plan, new TrainingLoop.Position<>(10, 0.5, 10, 0, List.of("e1")), p, adam);
            float first = p.get(AlbertParams.WORD).get(0);
            p.get(AlbertParams.WORD).set(0, first + 1f);
            failAtEachRename(() -> TrainingState.save(plan, new TrainingLoop.Position<>(20, 0.4, 20, 0,
                    List.of("e1", "e2")), p, adam), () -> {
                TrainingState.Meta<String> meta = TrainingState.readMeta(dir, String.class);
                try (AlbertParams q = p.zerosLike(); Adam a = new Adam(q, 0.9f, 0.999f, 1e-6f)) {
                    TrainingState.restore(plan, String.class, q, a);
                    assertEquals(meta.step() == 10 ? first : first + 1f, q.get(AlbertParams.WORD).get(0),
                            "state.json and the files it names agree (step " + meta.step() + ")");
                }
            });
            assertEquals(20, TrainingState.readMeta(dir, String.class).step());
        }
    }

    @Test
    void writingASplit(@TempDir Path dir) throws Exception {
        List<LabeledText> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(new LabeledText("text " + i, i % 3, i + 1));
        }
        Corpus corpus = Corpus.of(records, 3);
        DataSplit first = DataSplit.stratified(corpus, SplitRatios.DEFAULT, 1);
        SplitFiles.write(first, dir, corpus);
        DataSplit second = DataSplit.stratified(corpus, SplitRatios.DEFAULT, 2);
        failAtEachRename(() -> SplitFiles.write(second, dir, corpus), () -> {
            try {
                DataSplit read = SplitFiles.read(dir, 3);
                assertTrue(read.test().texts().equals(first.test().texts()) || read.test().texts().equals(second.test().texts()));
                assertTrue(read.train().texts().equals(first.train().texts()) == read.test().texts().equals(first.test().texts()),
                        "train and test of one split");
            } catch (IOException refused) {
                assertTrue(refused.getMessage().contains("interrupted"), refused.getMessage());
            }
        });
        assertEquals(second.test().texts(), SplitFiles.read(dir, 3).test().texts());
    }
}
