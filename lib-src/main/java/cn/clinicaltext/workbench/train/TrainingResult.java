package cn.clinicaltext.workbench.train;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What a run produced: the run folder (holding the best model), its history and how it ended.
 *
 * @param seconds         wall time of this session's part of the run
 * @param tokensTrained   tokens (padding included) pushed through training steps in this session
 * @param weightsOrigin   pretrained checkpoint or random initialisation, said plainly
 * @param schedule        the learning rate of every step (piecewise linear between its knots)
 * @param stillImproving  null, or what to say when the best epoch was the last one planned (more may help)
 */
public record TrainingResult(Path runDir, History history, int bestEpoch, TrainingConfig.Monitor monitor,
                             double bestScore, String stopReason, double seconds, long tokensTrained,
                             String weightsOrigin, String vocabulary, LearningRateSchedule schedule,
                             String stillImproving) {
    public double tokensPerSecond() {
        return seconds > 0 ? tokensTrained / seconds : 0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: best epoch %d of %d (%s %.4f); %s; %.0f s, %.0f tokens/s%n%s%s",
                runDir, bestEpoch, history.size(), monitor.label(), bestScore, stopReason, seconds, tokensPerSecond(),
                weightsOrigin, stillImproving == null ? "" : System.lineSeparator() + stillImproving);
    }
}
