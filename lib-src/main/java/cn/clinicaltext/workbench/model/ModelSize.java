package cn.clinicaltext.workbench.model;

/** The model shape of a run that starts without a pretrained checkpoint (one with a checkpoint takes its shape). */
public enum ModelSize {
    /** albert_tiny_google_zh's shape: hidden 312, 4 layers sharing weights, 12 heads, FFN 1248 */
    ALBERT_TINY(AlbertConfig.ALBERT_TINY_ZH),
    /** hidden 32, 2 layers: seconds per epoch, for smoke runs and quick checks */
    TINY(AlbertConfig.TINY);

    private final AlbertConfig config;

    ModelSize(AlbertConfig config) {
        this.config = config;
    }

    public AlbertConfig config() {
        return config;
    }
}
