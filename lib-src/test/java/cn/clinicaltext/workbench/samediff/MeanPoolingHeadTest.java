package cn.clinicaltext.workbench.samediff;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.DataSplit;
import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.data.SplitRatios;
import cn.clinicaltext.workbench.eval.RunComparison;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.testing.TinyModels;
import cn.clinicaltext.workbench.train.EpochStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeanPoolingHeadTest {
    static final AlbertConfig C = new AlbertConfig(30, 4, 4, 1, 1, 8, 16, 2, "gelu", 1e-12f, 0.02f, 0f, 0f);
    static final HeadSettings S = new HeadSettings(6, 0.2f, 1e-2, 4, 4, 3);

    /** The mean excludes padding: a text's logits alone and padded beside a longer text are the same. */
    @Test
    void poolingIgnoresPadding() {
        SameDiff sd = MeanPoolingHead.graph(C, 3, S);
        float[][] vectors = {{1, 2, 3, 4, 5, 6, 7, 8}, {1, -1, 2, -2, 3, -3, 4, -4, 0.5f, 0.5f, 0.5f, 0.5f}};
        int[] labels = {0, 1};
        INDArray alone = sd.output(MeanPoolingHead.inputs(vectors, new int[]{0}, labels, 4, S, 0), "logits").get("logits");
        INDArray padded = sd.output(MeanPoolingHead.inputs(vectors, new int[]{1, 0}, labels, 4, S, 0), "logits").get("logits");
        for (int c = 0; c < 3; c++) {
            assertEquals(alone.getFloat(0, c), padded.getFloat(1, c), 1e-6, "class " + c);
        }
    }

    /** Same settings, same history (batch order, dropout masks and start all come from the seed); it also learns. */
    @Test
    void sameSeedSameHistoryAndAComparisonOnTheSameTexts(@TempDir Path dir) throws Exception {
        TextClassifier encoder = SavedModel.classifier(TinyModels.saved(dir));
        String[] a = {"胃镜", "胃炎", "慢性胃炎", "浅表性胃炎", "胃镜：胃炎", "胃窦炎", "慢性浅表性胃炎", "胃镜检查"};
        String[] b = {"结肠", "息肉", "结肠息肉", "肠息肉", "结肠：息肉", "肠镜", "结肠镜检查", "直肠息肉"};
        List<List<LabeledText>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < a.length; i++) {
            List<LabeledText> part = parts.get(i < 4 ? 0 : i < 6 ? 1 : 2);
            part.add(new LabeledText(a[i], 0));
            part.add(new LabeledText(b[i], 1));
        }
        List<String> names = List.of("a", "b");
        DataSplit split = new DataSplit(Corpus.of(parts.get(0), names), Corpus.of(parts.get(1), names),
                Corpus.of(parts.get(2), names), 1, SplitRatios.DEFAULT);
        MeanPoolingHead first = MeanPoolingHead.train(encoder, split, S);
        MeanPoolingHead second = MeanPoolingHead.train(encoder, split, S);
        List<EpochStats> h1 = first.history().rows();
        List<EpochStats> h2 = second.history().rows();
        assertEquals(S.epochs(), h1.size());
        for (int e = 0; e < h1.size(); e++) {
            assertEquals(h1.get(e).trainLoss(), h2.get(e).trainLoss(), 0.0, "epoch " + (e + 1));
            assertEquals(h1.get(e).valLoss(), h2.get(e).valLoss(), 0.0, "epoch " + (e + 1));
        }
        assertTrue(h1.get(h1.size() - 1).trainLoss() < h1.get(0).trainLoss(), "the training loss falls");
        RunComparison comparison = first.compareWithClassifier(encoder, split.test(), null);
        assertEquals(2, comparison.runs().size());
        assertNotNull(comparison.pairs().get(0).test(), "paired: the same test texts");
        assertEquals(4, comparison.pairs().get(0).test().n());
    }
}
