package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.data.CorpusStatistics;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.train.EpochStats;
import cn.clinicaltext.workbench.train.TrainingState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code predict}, {@code explain} and {@code evaluate} say, on standard error, about the model folder they load
 * and the texts they give it: a model whose training has not finished, and texts the model reads only the beginning
 * of. Neither stops the command (a partial model can be what a user wants to look at), but neither goes unsaid.
 */
final class ModelChecks {
    private ModelChecks() {
    }

    /** The folder's classifier, after a warning when its training has not finished. */
    static TextClassifier load(Path model) throws IOException {
        TextClassifier classifier = SavedModel.classifier(model);
        warnIfUnfinished(model);
        return classifier;
    }

    /** A warning on standard error when the folder's training has not finished ({@link #unfinishedTraining}). */
    static void warnIfUnfinished(Path model) throws IOException {
        String unfinished = unfinishedTraining(model);
        if (unfinished != null) {
            System.err.println("warning: " + unfinished);
        }
    }

    /**
     * Null when the folder's training ended (or it was not trained here); else what state it is in. A run writes
     * the best model at each improving epoch, its state at every epoch end ({@link TrainingState}) and its session
     * record ({@link TrainingState#SESSION_FILE}) only when it ends: a state without that record is a run that was
     * stopped or is running.
     */
    static String unfinishedTraining(Path model) throws IOException {
        if (TrainingState.sessionEnded(model)) {
            return null;
        }
        TrainingState.Meta<EpochStats> meta;
        try {
            meta = TrainingState.readMeta(model, EpochStats.class);
        } catch (IOException e) {
            return model + " holds a training state that cannot be read (" + e.getMessage() + "); its model may be"
                    + " partial";
        }
        if (meta == null) {
            return null;
        }
        return String.format(Locale.ROOT, "%s holds a training that has not finished: it stopped (or is running) after"
                        + " epoch %d, and the model here is the best of those epochs (epoch %d). Run the same train"
                        + " command again to finish it; its state is in %s", model, meta.points(), meta.bestPoint(),
                TrainingState.dir(model));
    }

    /** One line on standard error when texts are longer than the model reads: how many, and what is kept. */
    static void reportTruncation(TextClassifier classifier, List<String> texts) {
        int maxlen = classifier.maxlen();
        long cut = Arrays.stream(CorpusStatistics.tokenLengths(texts, classifier.tokenizer())).filter(n -> n > maxlen)
                .count();
        if (cut > 0) {
            System.err.printf(Locale.ROOT, "note: %,d of %,d texts are longer than the model's maxlen of %d tokens and"
                    + " were cut to their first %d tokens (with [CLS] and [SEP]); the rest of each was not read%n",
                    cut, texts.size(), maxlen, maxlen - 2);
        }
    }
}
