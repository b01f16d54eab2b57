package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.model.SequenceClassifier;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.TextClassifier;

import java.util.Arrays;
import java.util.List;

/**
 * Texts with tokens deleted (not masked), as the deletion curves and ERASER measure them, and the explained
 * class's probability of many such variants in one batch. Token indices count text tokens (0 = first after [CLS]);
 * [CLS] and [SEP] always stay, and the order of the kept tokens too.
 */
final class TokenDeletion {
    private TokenDeletion() {
    }

    /** The text without the chosen tokens. */
    static int[] without(int[] ids, List<Integer> chosen) {
        return select(ids, chosen, false);
    }

    /** Only the chosen tokens, between [CLS] and [SEP]. */
    static int[] only(int[] ids, List<Integer> chosen) {
        return select(ids, chosen, true);
    }

    private static int[] select(int[] ids, List<Integer> chosen, boolean keepChosen) {
        int n = ids.length - 2;
        boolean[] in = new boolean[n];
        for (int i : chosen) {
            in[i] = true;
        }
        int[] out = new int[ids.length];
        int at = 0;
        out[at++] = ids[0];
        for (int i = 0; i < n; i++) {
            if (in[i] == keepChosen) {
                out[at++] = ids[i + 1];
            }
        }
        out[at++] = ids[ids.length - 1];
        return Arrays.copyOf(out, at);
    }

    /** p(target) of each variant, by inference in one batch padded to the longest. */
    static float[] probabilities(TextClassifier classifier, List<int[]> variants, int target) {
        try (var f = SequenceClassifier.forward(classifier.params(), Batch.of(variants), null, false)) {
            float[] p = Loss.softmax(f.logits);
            int c = classifier.params().numClasses();
            float[] out = new float[variants.size()];
            for (int v = 0; v < out.length; v++) {
                out[v] = p[v * c + target];
            }
            return out;
        }
    }
}
