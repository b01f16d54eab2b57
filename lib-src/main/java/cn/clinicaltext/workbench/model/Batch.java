package cn.clinicaltext.workbench.model;

import java.util.Arrays;
import java.util.List;

/**
 * Token ids of several sequences padded to one length, with segment ids and an attention mask (1 = real token,
 * 0 = padding). Sequences are padded only to the longest in the batch (dynamic padding).
 *
 * @param ids      [batch * length] token ids, row-major
 * @param segments [batch * length] token type ids
 * @param mask     [batch * length] 1 for tokens, 0 for padding
 */
public record Batch(int batch, int length, int[] ids, int[] segments, float[] mask) {
    public Batch {
        int n = batch * length;
        if (ids.length != n || segments.length != n || mask.length != n) {
            throw new IllegalArgumentException("batch arrays must hold batch * length = " + n + " entries");
        }
        for (int b = 0; b < batch; b++) {
            if (mask[b * length] == 0f) {
                throw new IllegalArgumentException("sequence " + b + " is empty: its first position ([CLS]) is masked");
            }
        }
    }

    /** Pads token-id sequences with 0 ([PAD]) to the longest; segment 0 everywhere; mask = real tokens. */
    public static Batch of(List<int[]> sequences) {
        int length = 0;
        for (int[] s : sequences) {
            length = Math.max(length, s.length);
        }
        int batch = sequences.size();
        int[] ids = new int[batch * length];
        float[] mask = new float[batch * length];
        for (int b = 0; b < batch; b++) {
            int[] s = sequences.get(b);
            System.arraycopy(s, 0, ids, b * length, s.length);
            Arrays.fill(mask, b * length, b * length + s.length, 1f);
        }
        return new Batch(batch, length, ids, new int[batch * length], mask);
    }

    public int tokens() {
        return batch * length;
    }

    /** Number of real (unmasked) tokens. */
    public int realTokens() {
        int n = 0;
        for (float m : mask) {
            n += m != 0f ? 1 : 0;
        }
        return n;
    }
}
