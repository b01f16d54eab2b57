package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.bench.Benchmark;
import cn.clinicaltext.workbench.bench.TwinBenchmark;
import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.Parallel;
import com.google.gson.GsonBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Speed benchmark of ALBERT-tiny or bge-small-zh (train, inference, latency, integrated gradients, sgemm);"
                + " prints one JSON object shaped like the PyTorch peer's summary.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--threads", description = "engine threads (default: the cores the JVM may use, "
            + "as training and inference use)")
    Integer threads;

    @Option(names = "--iters", defaultValue = "7", description = "timed iterations (default ${DEFAULT-VALUE})")
    int iters;

    @Option(names = "--embedding-size", description = "ALBERT-tiny's embedding width: 128 factorises it (the real"
            + " albert_tiny_google_zh's); the model's own when absent")
    Integer embeddingSize;

    /** The models the benchmark measures (random weights of their shape). */
    enum Model { ALBERT_TINY, BGE_SMALL_ZH }

    @Option(names = "--model", defaultValue = "albert-tiny", converter = ModelConverter.class,
            description = "albert-tiny or bge-small-zh (bge-small-zh-v1.5's shape, read from its ONNX file)")
    Model model;

    static final class ModelConverter implements CommandLine.ITypeConverter<Model> {
        @Override
        public Model convert(String value) {
            return Model.valueOf(value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    @Option(names = "--train-seqs", defaultValue = "64,128,200", split = ",", description = "training lengths")
    int[] trainSeqs;

    @Option(names = "--twin", description = "instead: the engine against its SameDiff twin (training b32 x 128,"
            + " inference b64 x 128, latency b1 x 64)")
    boolean twin;

    @Override
    public Integer call() throws IOException {
        var gson = new GsonBuilder().setPrettyPrinting().create();
        int t = threads == null ? Parallel.DEFAULT_THREADS : threads;
        if (twin) {
            System.out.println(gson.toJson(new TwinBenchmark(t, iters).run()));
            return 0;
        }
        Benchmark.Settings d = Benchmark.Settings.defaults();
        AlbertConfig config = model == Model.BGE_SMALL_ZH
                ? PretrainedStart.resolve(PretrainedStart.BGE_SMALL_ZH, Path.of("")).orElseThrow().config()
                : AlbertConfig.ALBERT_TINY_ZH;
        if (embeddingSize != null) {
            config = config.withEmbeddingSize(embeddingSize);
        }
        Benchmark.Settings s = new Benchmark.Settings(t, d.warmup(), iters, d.latencyIters(), d.sgemmIters(), config,
                trainSeqs);
        System.out.println(gson.toJson(new Benchmark(s).run()));
        return 0;
    }
}
