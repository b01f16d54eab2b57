package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.tokenizer.VocabularyChoice;

import java.util.function.Function;

/**
 * Where a run's weights start: a pretrained checkpoint's, or a seeded random initialisation, said plainly.
 *
 * @param params     the starting weights (the run owns them: it closes them when it ends)
 * @param vocabulary the vocabulary the run reads its texts with, and where it came from
 * @param origin     what the weights are, in words, for the log and the model's provenance
 * @param identity   what the weights are, for the run's fingerprint: "random", or "pretrained " (or "from ") and the
 *                   SHA-256 of the checkpoint's weights file, with the teacher's when one is distilled
 */
public record Start(AlbertParams params, VocabularyChoice vocabulary, String origin, String identity) {
    /**
     * This start, when its model reads {@code maxlen} tokens ({@code setting} names where that was set); else its
     * tensors are released (nothing was written) and the error thrown.
     */
    Start checkedMaxlen(int maxlen, String setting) {
        return into(s -> {
            s.params().config().checkMaxlen(maxlen, setting);
            return s;
        });
    }

    /** What {@code make} builds on this start (an objective); when that fails, the start's tensors are released. */
    <T> T into(Function<Start, T> make) {
        try {
            return make.apply(this);
        } catch (RuntimeException | Error e) {
            params.close();
            throw e;
        }
    }
}
