package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.tokenizer.BertTokenizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** A split tokenized once: token ids and labels, and the batches an epoch reads. */
public final class EncodedSet {
    private final List<int[]> ids;
    private final int[] labels;

    public EncodedSet(Corpus corpus, BertTokenizer tokenizer, int maxlen) {
        this.ids = new ArrayList<>(corpus.size());
        this.labels = corpus.labels();
        for (LabeledText r : corpus.records()) {
            ids.add(tokenizer.encode(r.text(), maxlen).tokenIds());
        }
    }

    public int size() {
        return ids.size();
    }

    public int[] labels() {
        return labels.clone();
    }

    public long tokens() {
        long n = 0;
        for (int[] s : ids) {
            n += s.length;
        }
        return n;
    }

    /** One batch: the texts at these indices padded to the longest of them, and their labels. */
    public record LabeledBatch(Batch batch, int[] labels, int[] indices) {
    }

    public LabeledBatch batch(int[] indices) {
        List<int[]> seqs = new ArrayList<>(indices.length);
        int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            seqs.add(ids.get(indices[i]));
            y[i] = labels[indices[i]];
        }
        return new LabeledBatch(Batch.of(seqs), y, indices);
    }

    /**
     * The batches of one training epoch, in an order fixed by {@code seed}: shuffled, and with
     * {@code bucketByLength} grouped into batches of similar length (chunks of 50 batches sorted by length), whose
     * order is shuffled again, so padding shrinks without losing randomness.
     */
    public List<int[]> epochBatches(int batchSize, long seed, boolean bucketByLength) {
        Random random = new Random(seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        if (bucketByLength) {
            int chunk = batchSize * 50;
            for (int start = 0; start < order.size(); start += chunk) {
                order.subList(start, Math.min(order.size(), start + chunk))
                        .sort(Comparator.comparingInt(i -> ids.get(i).length));
            }
        }
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < order.size(); start += batchSize) {
            int end = Math.min(order.size(), start + batchSize);
            batches.add(order.subList(start, end).stream().mapToInt(Integer::intValue).toArray());
        }
        if (bucketByLength) {
            Collections.shuffle(batches, random);
        }
        return batches;
    }

    /** Batches for evaluation: texts sorted by length (least padding), every text once. */
    public List<int[]> evalBatches(int batchSize) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> ids.get(i).length));
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < order.size(); start += batchSize) {
            batches.add(order.subList(start, Math.min(order.size(), start + batchSize)).stream()
                    .mapToInt(Integer::intValue).toArray());
        }
        return batches;
    }
}
