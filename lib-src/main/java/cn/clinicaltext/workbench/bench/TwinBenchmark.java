package cn.clinicaltext.workbench.bench;

import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Batch;
import cn.clinicaltext.workbench.model.Blas;
import cn.clinicaltext.workbench.samediff.AlbertTwin;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The engine against its SameDiff twin ({@link AlbertTwin}) at the benchmark's shapes: a training step at batch
 * 32 x 128 (engine: forward, backward, Adam; twin: {@code SameDiff.fit} with ND4J's Adam), inference at 64 x 128 and
 * one 64-token text. The engine is timed first; SameDiff then runs with ND4J's own thread settings, except that
 * OpenBLAS stays single-threaded (see {@code Blas.keepOpenBlasSingleThreaded}).
 *
 * @param threads BLAS and ND4J threads
 * @param iters   timed repetitions (after two warm-up ones)
 */
public record TwinBenchmark(int threads, int iters) {
    private static final int WARMUP = 2;

    public Map<String, Object> run() {
        Blas.setThreads(threads);
        AlbertConfig config = AlbertConfig.ALBERT_TINY_ZH;
        Random random = new Random(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("threads", threads);
        out.put("model", config.toJson());
        out.put("ids", "uniform over the vocabulary (nearly every id distinct: the twin's training lookup at its"
                + " slowest)");
        Map<String, Object> engine = new LinkedHashMap<>();
        Map<String, Object> twin = new LinkedHashMap<>();
        try (AlbertParams params = AlbertParams.initialise(config, 2, 0)) {
            Batch train = Benchmark.fullBatch(random, config, 32, 128);
            int[] labels = new int[32];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = random.nextInt(2);
            }
            log("engine: train b32 seq128");
            double e = engineStep(params, train, labels);
            engine.put("train_b32_seq128_tokens_per_s", round(32 * 128 / e));
            log("twin: train b32 seq128 (SameDiff.fit, Adam)");
            double t = twinStep(params, train, labels);
            twin.put("train_b32_seq128_tokens_per_s", round(32 * 128 / t));

            Batch infer = Benchmark.fullBatch(random, config, 64, 128);
            Batch single = Benchmark.fullBatch(random, config, 1, 64);
            log("engine: inference b64 seq128, latency b1 seq64");
            engine.put("inference_b64_seq128_sequences_per_s", round(64 / median(() -> Benchmark.infer(params, infer))));
            engine.put("latency_b1_seq64_ms", round(1000 * median(() -> Benchmark.infer(params, single))));
            log("twin: inference b64 seq128, latency b1 seq64");
            AlbertTwin inference = AlbertTwin.inference(params);
            twin.put("inference_b64_seq128_sequences_per_s", round(64 / median(() -> inference.probabilities(infer))));
            twin.put("latency_b1_seq64_ms", round(1000 * median(() -> inference.probabilities(single))));
        }
        out.put("engine", engine);
        out.put("samediff_twin", twin);
        out.put("peak_resident_mb", Benchmark.peakResidentMb());
        return out;
    }

    private double engineStep(AlbertParams params, Batch batch, int[] labels) {
        return logged(Benchmark.median(Benchmark.trainStepTimes(params, batch, labels, null, WARMUP, iters)));
    }

    private double twinStep(AlbertParams params, Batch batch, int[] labels) {
        AlbertTwin twin = AlbertTwin.training(params, null);
        SameDiff sd = twin.graph();
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(1e-4))
                .dataSetFeatureMapping(AlbertTwin.INPUT_IDS, AlbertTwin.SEGMENT_IDS, AlbertTwin.ATTENTION_MASK)
                .dataSetLabelMapping(AlbertTwin.LABELS)
                .build());
        Map<String, INDArray> in = AlbertTwin.inputs(batch, labels);
        MultiDataSet data = new MultiDataSet(
                new INDArray[]{in.get(AlbertTwin.INPUT_IDS), in.get(AlbertTwin.SEGMENT_IDS), in.get(AlbertTwin.ATTENTION_MASK)},
                new INDArray[]{in.get(AlbertTwin.LABELS)});
        twin.createGradients();
        return median(() -> sd.fit(data));
    }

    private double median(Runnable r) {
        return logged(Benchmark.median(Benchmark.timed(WARMUP, iters, r)));
    }

    private static double logged(double median) {
        log(String.format("  median %.3f s", median));
        return median;
    }

    private static double round(double x) {
        return Benchmark.round(x, 1);
    }

    private static void log(String s) {
        System.err.println(s);
    }
}
