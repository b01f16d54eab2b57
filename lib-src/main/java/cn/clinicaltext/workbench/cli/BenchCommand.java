package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.bench.Benchmark;
import cn.clinicaltext.workbench.bench.TwinBenchmark;
import cn.clinicaltext.workbench.model.Parallel;
import com.google.gson.GsonBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Speed benchmark of ALBERT-tiny (train, inference, latency, integrated gradients, sgemm);"
                + " prints one JSON object shaped like the PyTorch peer's summary.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--threads", description = "engine threads (default: the cores the JVM may use, "
            + "as training and inference use)")
    Integer threads;

    @Option(names = "--iters", defaultValue = "7", description = "timed iterations (default ${DEFAULT-VALUE})")
    int iters;

    @Option(names = "--embedding-size", defaultValue = "312",
            description = "312 (no factorisation, default) or 128 (the real albert_tiny_google_zh)")
    int embeddingSize;

    @Option(names = "--train-seqs", defaultValue = "64,128,200", split = ",", description = "training lengths")
    int[] trainSeqs;

    @Option(names = "--twin", description = "instead: the engine against its SameDiff twin (training b32 x 128,"
            + " inference b64 x 128, latency b1 x 64)")
    boolean twin;

    @Override
    public Integer call() {
        var gson = new GsonBuilder().setPrettyPrinting().create();
        int t = threads == null ? Parallel.DEFAULT_THREADS : threads;
        if (twin) {
            System.out.println(gson.toJson(new TwinBenchmark(t, iters).run()));
            return 0;
        }
        Benchmark.Settings d = Benchmark.Settings.defaults();
        Benchmark.Settings s = new Benchmark.Settings(t, d.warmup(), iters, d.latencyIters(), d.sgemmIters(),
                embeddingSize, trainSeqs);
        System.out.println(gson.toJson(new Benchmark(s).run()));
        return 0;
    }
}
