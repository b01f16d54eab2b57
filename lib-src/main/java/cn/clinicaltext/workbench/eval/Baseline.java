package cn.clinicaltext.workbench.eval;

import cn.clinicaltext.workbench.data.Corpus;

/** A non-neural classifier scored beside the network on the same texts. */
public interface Baseline {
    /** How tables and figures call it. */
    String name();

    /** A predicted label per text. */
    int[] predict(Corpus corpus);
}
