package cn.clinicaltext.workbench.bench;

import cn.clinicaltext.workbench.explain.IntegratedGradients;
import cn.clinicaltext.workbench.model.SequenceClassifier;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.model.Blas;
import cn.clinicaltext.workbench.model.Dropout;
import cn.clinicaltext.workbench.model.Encoder;
import cn.clinicaltext.workbench.model.MaskedLmHead;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.Parallel;
import cn.clinicaltext.workbench.model.Tensor;
import cn.clinicaltext.workbench.train.Adam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The speed benchmark, shaped like the PyTorch peer's ({@code ../shared/peer-bench/torch_albert_bench.py}): the
 * same model, batch sizes, lengths and measures (medians after warm-up), so the two JSON summaries compare
 * directly. Progress goes to standard error, the one JSON object to standard output.
 */
public final class Benchmark {
    /**
     * Settings of one benchmark run; defaults match the peer's (its --threads is 2: pass the same to compare).
     *
     * @param model the model measured (random weights of its shape): ALBERT-tiny, or bge-small-zh-v1.5's shape
     */
    public record Settings(int threads, int warmup, int iters, int latencyIters, int sgemmIters, AlbertConfig model,
                           int[] trainSeqs) {
        public static Settings defaults() {
            return new Settings(Parallel.DEFAULT_THREADS, 2, 7, 30, 10, AlbertConfig.ALBERT_TINY_ZH,
                    new int[]{64, 128, 200});
        }
    }

    private final Settings settings;
    private final AlbertConfig config;
    private final Random random = new Random(0);

    public Benchmark(Settings settings) {
        this.settings = settings;
        this.config = settings.model();
    }

    public Map<String, Object> run() {
        Blas.setThreads(settings.threads());
        Map<String, Object> out = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        out.put("engine", "workbench (OpenBLAS sgemm on native memory + Java kernels)");
        out.put("java", Runtime.version().toString());
        out.put("threads", settings.threads());
        out.put("model", config.toJson());
        Map<String, Double> sgemm = new LinkedHashMap<>();
        for (int n : new int[]{1024, 2048}) {
            log("sgemm " + n);
            sgemm.put(String.valueOf(n), sgemm(n));
        }
        Map<String, Double> trainTokens = new LinkedHashMap<>();
        Map<String, Double> trainMs = new LinkedHashMap<>();
        try (AlbertParams params = AlbertParams.initialise(config, 2, 0)) {
            for (int seq : settings.trainSeqs()) {
                log("train b32 seq " + seq);
                double s = trainStep(params, 32, seq);
                trainTokens.put("b32_seq" + seq, round(32.0 * seq / s, 1));
                trainMs.put("b32_seq" + seq, round(1000 * s, 1));
                log(String.format("  median %.3f s  %.0f tok/s", s, 32.0 * seq / s));
            }
            log("train with dropout 0.1 b32 seq 128");
            double dropped = trainStep(params, 32, 128, Dropout.forStep(0, 1, 0.1f, 0.1f, 0.1f));
            log(String.format("  median %.3f s  %.0f tok/s", dropped, 32.0 * 128 / dropped));
            log("inference b64 seq128");
            double infer = median(timed(settings.warmup(), settings.iters(), () -> infer(params, 64, 128)));
            log("latency b1 seq64");
            double latency = median(timed(5, settings.latencyIters(), () -> infer(params, 1, 64)));
            log("integrated gradients seq64 steps20");
            int[] igIds = ids(1, 64);
            igIds[63] = 102;
            double ig = median(timed(settings.warmup(), settings.iters(), () -> IntegratedGradients.explain(params, igIds, 0, 20)));
            log("masked-LM pretraining b32 seq128 (15% masked, tied output over the vocabulary)");
            double mlm = maskedLmStep(32, 128);
            log(String.format("  median %.3f s  %.0f tok/s", mlm, 32.0 * 128 / mlm));
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("train_tokens_per_s", trainTokens);
            summary.put("train_step_ms", trainMs);
            summary.put("train_dropout0.1_b32_seq128_tokens_per_s", round(32.0 * 128 / dropped, 1));
            summary.put("mlm_train_b32_seq128_tokens_per_s", round(32.0 * 128 / mlm, 1));
            summary.put("inference_b64_seq128_sequences_per_s", round(64 / infer, 2));
            summary.put("latency_b1_seq64_ms", round(1000 * latency, 2));
            summary.put("ig_seq64_steps20_ms", round(1000 * ig, 1));
            summary.put("sgemm_gflops", sgemm);
            summary.put("peak_resident_mb", peakResidentMb());
            out.put("summary", summary);
        }
        out.put("total_wall_s", round((System.nanoTime() - t0) / 1e9, 1));
        return out;
    }

    private double sgemm(int n) {
        try (Tensor a = Tensor.zeros(n, n); Tensor b = Tensor.zeros(n, n); Tensor c = Tensor.zeros(n, n)) {
            a.fill(0.5f);
            b.fill(0.25f);
            double s = median(timed(1, settings.sgemmIters(), () -> Blas.matmul(a, false, b, false, c, false)));
            return round(2.0 * n * n * n / s / 1e9, 1);
        }
    }

    private int[] ids(int batch, int seq) {
        return ids(random, config, batch, seq);
    }

    /** [CLS] (101) then ids drawn uniformly from 1000 up to the vocabulary's end, row after row. */
    static int[] ids(Random random, AlbertConfig config, int batch, int seq) {
        int[] ids = new int[batch * seq];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i % seq == 0 ? 101 : 1000 + random.nextInt(config.vocabSize() - 1000);
        }
        return ids;
    }

    private Batch fullBatch(int batch, int seq) {
        return fullBatch(random, config, batch, seq);
    }

    /** A batch of {@code batch} random texts of exactly {@code seq} tokens (no padding). */
    static Batch fullBatch(Random random, AlbertConfig config, int batch, int seq) {
        int[] flat = ids(random, config, batch, seq);
        List<int[]> rows = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            rows.add(Arrays.copyOfRange(flat, b * seq, (b + 1) * seq));
        }
        return Batch.of(rows);
    }

    /** Median seconds of one training step: gradients zeroed, forward, loss, backward, Adam. */
    private double trainStep(AlbertParams params, int batch, int seq) {
        return trainStep(params, batch, seq, null);
    }

    private double trainStep(AlbertParams params, int batch, int seq, Dropout dropout) {
        Batch input = fullBatch(batch, seq);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = random.nextInt(2);
        }
        return median(trainStepTimes(params, input, labels, dropout, settings.warmup(), settings.iters()));
    }

    /** Seconds of each timed training step on one batch: gradients zeroed, forward, loss, backward, Adam. */
    static List<Double> trainStepTimes(AlbertParams params, Batch input, int[] labels, Dropout dropout, int warmup,
                                       int iters) {
        try (AlbertParams grads = params.zerosLike(); Adam adam = new Adam(params, 0.9f, 0.999f, 1e-8f)) {
            return timed(warmup, iters, () -> {
                grads.fill(0f);
                try (var f = SequenceClassifier.forwardTraining(params, input, null, dropout);
                     Tensor d = Loss.softmaxCrossEntropyGrad(f.logits, labels)) {
                    SequenceClassifier.backward(params, f, d, grads);
                }
                adam.update(params, grads, 1e-4f);
            });
        }
    }

    /**
     * Median seconds of one masked-LM step on a model with the head and no classifier: forward, the head at 15% of
     * the positions (the output layer over the whole vocabulary), backward, AdamW; dropout 0.1 as pretraining uses.
     */
    private double maskedLmStep(int batch, int seq) {
        Batch input = fullBatch(batch, seq);
        int want = Math.round(batch * seq * 0.15f);
        int[] positions = new int[want];
        int[] targets = new int[want];
        for (int i = 0; i < want; i++) {
            positions[i] = (int) ((long) i * batch * seq / want);
            targets[i] = input.ids()[positions[i]];
        }
        try (AlbertParams params = AlbertParams.initialise(config, 0, true, 0); AlbertParams grads = params.zerosLike();
             Adam adam = new Adam(params, 0.9f, 0.999f, 1e-6f)) {
            long[] step = {0};
            return median(timed(settings.warmup(), settings.iters(), () -> {
                grads.fill(0f);
                step[0]++;
                try (var f = Encoder.forwardTraining(params, input, null, Dropout.forStep(0, step[0], 0.1f, 0.1f, 0f))) {
                    Encoder.backward(params, f, MaskedLmHead.lossAndBackward(params, f.output(), positions, targets,
                            grads).dHidden(), grads);
                }
                adam.update(params, grads, 1e-4f, 0.01f);
            }));
        }
    }

    private void infer(AlbertParams params, int batch, int seq) {
        infer(params, fullBatch(batch, seq));
    }

    /** Class probabilities of one batch, as predict computes them. */
    static void infer(AlbertParams params, Batch input) {
        try (var f = SequenceClassifier.forward(params, input, null, false)) {
            Loss.softmax(f.logits);
        }
    }

    static List<Double> timed(int warmup, int iters, Runnable r) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < iters; i++) {
            long t = System.nanoTime();
            r.run();
            times.add((System.nanoTime() - t) / 1e9);
        }
        return times;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double round(double x, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(x * f) / f;
    }

    /** Peak resident set size of this process (VmHWM), in MB. */
    static double peakResidentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return round(Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0, 1);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static void log(String s) {
        System.err.println(s);
    }
}
