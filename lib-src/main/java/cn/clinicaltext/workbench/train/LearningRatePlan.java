package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.io.Setting;
import java.util.Locale;

/**
 * How the learning rate moves over a run, before the run's length is known: linear warm-up from 0 to {@code peak},
 * then linear decay to {@code finalFraction * peak} at {@code decayEnd}, constant after. {@code warmup} and
 * {@code decayEnd} are each a number of optimiser steps when above 1, or a fraction of the run's total steps
 * (planned epochs x batches per epoch) when at most 1, so "warm up over the first 10% and decay to 0 at the end" is
 * {@code (peak, 0.1, 1.0, 0)} whatever the data size. A {@code fixed} schedule, when given, is used as it is.
 */
public record LearningRatePlan(
        @Setting("the largest learning rate")
        float peak,
        @Setting("steps (> 1) or fraction of the run (<= 1) of the linear rise from 0")
        double warmup,
        @Setting("step (> 1) or fraction of the run (<= 1) where the decay reaches its end")
        double decayEnd,
        @Setting("rate at and after decayEnd, as a fraction of the peak")
        float finalFraction,
        @Setting("an explicit schedule that replaces all of the above (null: none)")
        LearningRateSchedule fixed) {
    /** The original experiment's: 0 -> 1e-4 over 1000 steps -> 1e-5 at step 2000 (bert4keras piecewise linear). */
    public static final LearningRatePlan ORIGINAL = warmupDecay(1e-4f, 1000, 2000, 0.1f);

    public LearningRatePlan {
        if (fixed == null) {
            if (!(peak > 0) || !Float.isFinite(peak)) {
                throw new IllegalArgumentException("the peak learning rate must be positive and finite, got " + peak);
            }
            if (!(warmup >= 0) || !(decayEnd > 0) || !Double.isFinite(warmup) || !Double.isFinite(decayEnd)) {
                throw new IllegalArgumentException("warm-up must be >= 0 and the decay end > 0 (steps, or a fraction"
                        + " of the run when <= 1), got " + warmup + " and " + decayEnd);
            }
            if (!(finalFraction >= 0 && finalFraction <= 1)) {
                throw new IllegalArgumentException("the final learning rate fraction must be in [0, 1], got " + finalFraction);
            }
        }
    }

    public static LearningRatePlan warmupDecay(float peak, double warmup, double decayEnd, float finalFraction) {
        return new LearningRatePlan(peak, warmup, decayEnd, finalFraction, null);
    }

    public static LearningRatePlan fixed(LearningRateSchedule schedule) {
        return new LearningRatePlan(0f, 0, 1, 0f, schedule);
    }

    /** The schedule of a run of {@code totalSteps} optimiser steps. */
    public LearningRateSchedule resolve(long totalSteps) {
        if (fixed != null) {
            return fixed;
        }
        long w = steps(warmup, totalSteps);
        long d = Math.max(w + 1, steps(decayEnd, totalSteps));
        float end = (float) ((double) peak * finalFraction);
        if (w == 0) {
            return new LearningRateSchedule(new long[]{0, d}, new float[]{peak, end});
        }
        return new LearningRateSchedule(new long[]{0, w, d}, new float[]{0f, peak, end});
    }

    private static long steps(double value, long total) {
        return value > 1 ? Math.round(value) : Math.round(value * total);
    }

    @Override
    public String toString() {
        return fixed != null ? fixed.toString() : String.format(Locale.ROOT,
                "0 -> %.3g over %s, -> %.3g at %s", peak, span(warmup), peak * finalFraction, span(decayEnd));
    }

    private static String span(double v) {
        return v > 1 ? "step " + Math.round(v) : Math.round(v * 100) + "% of the run";
    }
}
