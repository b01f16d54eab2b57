package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.data.DuplicatePolicy;
import cn.clinicaltext.workbench.data.SplitRatios;
import cn.clinicaltext.workbench.data.SplitSettings;
import picocli.CommandLine.Option;

/** The split settings on the command line (split, import): overrides of {@link SplitSettings#DEFAULT}, nothing else. */
final class SplitOptions {
    @Option(names = "--seed", descriptionKey = "split.seed", description = "split seed")
    Long seed;

    @Option(names = "--ratios", split = ",", descriptionKey = "split.ratios", description = "train,val,test")
    double[] ratios;

    @Option(names = "--duplicates", descriptionKey = "split.duplicates", description = "texts repeated with different"
            + " labels: drop-all, majority or keep-first")
    DuplicatePolicy duplicates;

    SplitSettings settings() {
        if (ratios != null && ratios.length != 3) {
            throw new IllegalArgumentException("--ratios needs three numbers: train,val,test");
        }
        SplitSettings d = SplitSettings.DEFAULT;
        return new SplitSettings(seed != null ? seed : d.seed(),
                ratios != null ? new SplitRatios(ratios[0], ratios[1], ratios[2]) : d.ratios(),
                duplicates != null ? duplicates : d.duplicates());
    }
}
