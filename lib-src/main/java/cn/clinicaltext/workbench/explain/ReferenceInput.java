package cn.clinicaltext.workbench.explain;

import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;

import java.nio.FloatBuffer;
import java.util.Locale;

/**
 * The reference input an attribution is measured against: what the word embeddings become when a token is "absent".
 * Only the word embeddings change; position and segment embeddings and the attention mask stay those of the text.
 *
 * <ul>
 *   <li>{@link #PAD}: every text token becomes [PAD] while [CLS] and [SEP] keep their embeddings (the usual BERT
 *   recipe; the baseline is a text of the same length that says nothing);</li>
 *   <li>{@link #MASK}: the same with [MASK];</li>
 *   <li>{@link #ZERO}: every word embedding, [CLS] and [SEP] included, is zero (the original project's baseline; it
 *   also removes what [CLS] and [SEP] carry, so the path starts far from any real input).</li>
 * </ul>
 */
public enum ReferenceInput {
    PAD, ZERO, MASK;

    /** The baseline's word embeddings for a text's token ids ([CLS] first, [SEP] last): [length * E], row-major. */
    public float[] embeddings(AlbertParams params, int[] ids, Vocabulary vocabulary) {
        int e = params.config().embeddingSize();
        float[] out = new float[ids.length * e];
        if (this == ZERO) {
            return out;
        }
        FloatBuffer word = params.get(AlbertParams.WORD).buffer();
        String token = this == PAD ? Vocabulary.PAD : Vocabulary.MASK;
        if (!vocabulary.contains(token)) {
            throw new IllegalArgumentException("the " + name().toLowerCase(Locale.ROOT)
                    + " baseline needs " + token + ", which the model's vocabulary lacks");
        }
        int filler = vocabulary.id(token);
        for (int t = 0; t < ids.length; t++) {
            boolean special = t == 0 || t == ids.length - 1;
            word.get((special ? ids[t] : filler) * e, out, t * e, e);
        }
        return out;
    }

    /** The text's own word embeddings: [length * E]. */
    public static float[] inputEmbeddings(AlbertParams params, int[] ids) {
        int e = params.config().embeddingSize();
        float[] out = new float[ids.length * e];
        FloatBuffer word = params.get(AlbertParams.WORD).buffer();
        for (int t = 0; t < ids.length; t++) {
            word.get(ids[t] * e, out, t * e, e);
        }
        return out;
    }
}
