package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.data.SyntheticCorpusConfig;
import cn.clinicaltext.workbench.data.SyntheticCorpusGenerator;
import cn.clinicaltext.workbench.io.AtomicFiles;
import com.google.gson.GsonBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "generate-corpus", mixinStandardHelpOptions = true,
        description = "Writes the SYNTHETIC corpus (text<TAB>label) and a JSON manifest of how it was made.")
final class GenerateCorpusCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "data/all.txt", description = "corpus file (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--size", defaultValue = "2636", description = "records (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--shares", defaultValue = "0.20,0.45,0.35", split = ",",
            description = "class shares neither,upper,lower (default ${DEFAULT-VALUE})")
    double[] shares;

    @Option(names = "--noise", defaultValue = "0.02", description = "label-noise rate (default ${DEFAULT-VALUE})")
    double noise;

    @Option(names = "--seed", defaultValue = "20240101", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        SyntheticCorpusConfig config = new SyntheticCorpusConfig(size, shares, noise, seed);
        AtomicFiles.checkWritable(out);
        SyntheticCorpusGenerator.Result result = SyntheticCorpusGenerator.generate(config);
        StringBuilder text = new StringBuilder();
        for (LabeledText r : result.corpus().records()) {
            text.append(r.text()).append('\t').append(r.label()).append('\n');
        }
        AtomicFiles.writeString(out, text.toString());
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("synthetic", true);
        manifest.put("generator", SyntheticCorpusGenerator.class.getName());
        manifest.put("config", config);
        manifest.put("class_counts", result.corpus().classCounts());
        manifest.put("noisy_lines", result.noisyIndices().stream().map(i -> i + 1).toList());
        String name = out.getFileName().toString().replaceFirst("\\.txt$", "");
        AtomicFiles.writeString(out.resolveSibling(name + ".synthetic.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(manifest) + "\n");
        System.out.println("wrote " + result.corpus().size() + " synthetic records to " + out + " ("
                + result.noisyIndices().size() + " with flipped labels)");
        return 0;
    }
}
