package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.tokenizer.BertTokenizer;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Masked-LM examples (Devlin et al. 2019): texts tokenised and packed in order into sequences of at most maxlen
 * tokens, {@code [CLS] a [SEP] b [SEP] ...} (short texts such as queries share a sequence, as RoBERTa's
 * FULL-SENTENCES packing does, so no step is mostly padding; a text longer than a sequence is cut into pieces).
 * A seeded part of the sequences is held out for validation. Masks: {@code maskRate} of each sequence's
 * non-special tokens are chosen (at least one), of which 80% become [MASK], 10% a random token and 10% stay;
 * the loss is computed at the chosen positions only. With whole-word masking the unit chosen is a WordPiece word
 * (a piece and the {@code ##} pieces after it): Latin words and numbers are masked whole, Chinese characters are
 * their own words (no word segmenter is used). Masks are drawn afresh for every epoch from (seed, epoch,
 * sequence), so a resumed run draws the same masks; validation masks are fixed.
 */
public final class MaskedLmData {
    private final List<int[]> train = new ArrayList<>();
    private final List<int[]> val = new ArrayList<>();
    private final boolean[] wordContinuation;
    /** Bracketed tokens ([PAD], [UNK], [CLS], [SEP], [MASK], [unused..]) are never predicted nor drawn. */
    private final boolean[] special;
    private final int[] normalIds;
    private final int maskId;
    private final float maskRate;
    private final boolean wholeWord;
    private final long seed;

    /** One batch: masked inputs, and where the loss is taken with the original tokens there. */
    public record MaskedBatch(Batch batch, int[] positions, int[] targets) {
    }

    public MaskedLmData(List<String> texts, BertTokenizer tokenizer, int maxlen, float maskRate, boolean wholeWord,
                        double valFraction, int maxVal, long seed) {
        if (maxlen < 3) {
            throw new IllegalArgumentException("maxlen must be at least 3, got " + maxlen);
        }
        if (!(maskRate > 0 && maskRate < 1)) {
            throw new IllegalArgumentException("the mask rate must be in (0, 1), got " + maskRate);
        }
        Vocabulary v = tokenizer.vocabulary();
        if (!v.contains(Vocabulary.MASK)) {
            throw new IllegalArgumentException("the vocabulary has no " + Vocabulary.MASK + " token");
        }
        this.maskId = v.id(Vocabulary.MASK);
        this.maskRate = maskRate;
        this.wholeWord = wholeWord;
        this.seed = seed;
        this.wordContinuation = new boolean[v.size()];
        this.special = new boolean[v.size()];
        List<Integer> normal = new ArrayList<>();
        for (int id = 0; id < v.size(); id++) {
            String t = v.token(id);
            wordContinuation[id] = t.startsWith("##");
            special[id] = t.length() > 2 && t.startsWith("[") && t.endsWith("]");
            if (!special[id]) {
                normal.add(id);
            }
        }
        if (normal.isEmpty()) {
            throw new IllegalArgumentException("the vocabulary has no ordinary tokens");
        }
        this.normalIds = normal.stream().mapToInt(Integer::intValue).toArray();
        List<int[]> sequences = pack(texts, tokenizer, maxlen);
        if (sequences.size() < 2) {
            throw new IllegalArgumentException("the pretraining corpus gives " + sequences.size()
                    + " sequence(s); at least 2 are needed (one for validation)");
        }
        int nVal = (int) Math.max(1, Math.min(maxVal, Math.round(sequences.size() * valFraction)));
        Integer[] order = new Integer[sequences.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Collections.shuffle(Arrays.asList(order), new Random(seed));
        boolean[] isVal = new boolean[sequences.size()];
        for (int i = 0; i < nVal; i++) {
            isVal[order[i]] = true;
        }
        for (int i = 0; i < sequences.size(); i++) {
            (isVal[i] ? val : train).add(sequences.get(i));
        }
    }

    private static List<int[]> pack(List<String> texts, BertTokenizer tokenizer, int maxlen) {
        Vocabulary v = tokenizer.vocabulary();
        int room = maxlen - 2;
        List<int[]> out = new ArrayList<>();
        int[] buf = new int[maxlen];
        int used = 0;
        for (String text : texts) {
            int[] ids = tokenizer.encode(text, 0).tokenIds();
            int n = ids.length - 2;
            for (int at = 1; at <= n; ) {
                int take = Math.min(n - at + 1, room);
                if (used > 0 && used + take + 1 > maxlen) {
                    out.add(Arrays.copyOf(buf, used));
                    used = 0;
                }
                if (used == 0) {
                    buf[used++] = v.clsId();
                }
                take = Math.min(take, maxlen - used - 1);
                System.arraycopy(ids, at, buf, used, take);
                used += take;
                buf[used++] = v.sepId();
                at += take;
            }
        }
        if (used > 0) {
            out.add(Arrays.copyOf(buf, used));
        }
        return out;
    }

    public int trainSize() {
        return train.size();
    }

    public int valSize() {
        return val.size();
    }

    public long trainTokens() {
        long n = 0;
        for (int[] s : train) {
            n += s.length;
        }
        return n;
    }

    /** Batches of training-sequence indices for one epoch, order seeded by (seed, epoch). */
    public List<int[]> epochBatches(int batchSize, int epoch) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < order.size(); start += batchSize) {
            batches.add(order.subList(start, Math.min(order.size(), start + batchSize)).stream()
                    .mapToInt(Integer::intValue).toArray());
        }
        return batches;
    }

    /** Training batch of these sequences with epoch {@code epoch}'s masks. */
    public MaskedBatch trainBatch(int[] indices, int epoch) {
        return batch(train, indices, epoch, 1);
    }

    /** Training sequences themselves, unmasked (task-agnostic distillation reads them whole). */
    public Batch trainSequences(int[] indices) {
        List<int[]> seqs = new ArrayList<>(indices.length);
        for (int i : indices) {
            seqs.add(train.get(i));
        }
        return Batch.of(seqs);
    }

    /** Held-out sequences, unmasked, in batches in order. */
    public List<Batch> valSequences(int batchSize) {
        List<Batch> out = new ArrayList<>();
        for (int start = 0; start < val.size(); start += batchSize) {
            out.add(Batch.of(val.subList(start, Math.min(val.size(), start + batchSize))));
        }
        return out;
    }

    /** Validation batches (fixed masks), in order. */
    public List<MaskedBatch> valBatches(int batchSize) {
        List<MaskedBatch> out = new ArrayList<>();
        for (int start = 0; start < val.size(); start += batchSize) {
            int[] idx = new int[Math.min(batchSize, val.size() - start)];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = start + i;
            }
            out.add(batch(val, idx, 0, 2));
        }
        return out;
    }

    private MaskedBatch batch(List<int[]> from, int[] indices, int epoch, int stream) {
        List<int[]> seqs = new ArrayList<>(indices.length);
        List<Integer> positions = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        int length = 0;
        for (int i : indices) {
            length = Math.max(length, from.get(i).length);
        }
        for (int b = 0; b < indices.length; b++) {
            int[] seq = from.get(indices[b]).clone();
            SplittableRandom r = new SplittableRandom(((seed * 31 + stream) * 1_000_003L + epoch) * 2_000_003L + indices[b]);
            for (int pos : mask(seq, r)) {
                positions.add(b * length + pos);
                targets.add(seq[pos]);
                double u = r.nextDouble();
                if (u < 0.8) {
                    seq[pos] = maskId;
                } else if (u < 0.9) {
                    seq[pos] = normalIds[r.nextInt(normalIds.length)];
                }
            }
            seqs.add(seq);
        }
        return new MaskedBatch(Batch.of(seqs), positions.stream().mapToInt(Integer::intValue).toArray(),
                targets.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Positions to predict in one sequence, ascending (targets are read before any replacement). */
    int[] mask(int[] seq, SplittableRandom r) {
        // units: a word start with its ## continuations (whole words), or single tokens
        List<int[]> units = new ArrayList<>();
        int candidates = 0;
        for (int i = 0; i < seq.length; i++) {
            if (special[seq[i]]) {
                continue;
            }
            candidates++;
            if (wholeWord && wordContinuation[seq[i]] && !units.isEmpty() && units.get(units.size() - 1)[1] == i) {
                units.get(units.size() - 1)[1] = i + 1;
            } else {
                units.add(new int[]{i, i + 1});
            }
        }
        if (candidates == 0) {
            return new int[0];
        }
        int want = Math.max(1, (int) Math.round(candidates * maskRate));
        for (int i = units.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int[] t = units.get(i);
            units.set(i, units.get(j));
            units.set(j, t);
        }
        boolean[] chosen = new boolean[seq.length];
        int count = 0;
        for (int[] u : units) {
            if (count >= want) {
                break;
            }
            if (count > 0 && count + (u[1] - u[0]) > want) {
                continue;
            }
            for (int i = u[0]; i < u[1]; i++) {
                chosen[i] = true;
            }
            count += u[1] - u[0];
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < seq.length; i++) {
            if (chosen[i]) {
                out[k++] = i;
            }
        }
        return out;
    }
}
