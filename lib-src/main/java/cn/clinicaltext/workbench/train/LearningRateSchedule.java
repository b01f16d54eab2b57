package cn.clinicaltext.workbench.train;

import java.util.Arrays;

/**
 * A piecewise-linear learning rate over optimizer steps: linear between given (step, rate) points, constant after
 * the last. The original project's schedule (bert4keras {@code extend_with_piecewise_linear_lr} with
 * {@code {1000: 1, 2000: 0.1}} on 1e-4) is 0 at step 0, 1e-4 at step 1000, 1e-5 at step 2000 and after.
 */
public record LearningRateSchedule(long[] steps, float[] rates) {
    public static final LearningRateSchedule ORIGINAL = new LearningRateSchedule(new long[]{0, 1000, 2000},
            new float[]{0f, 1e-4f, 1e-5f});

    public LearningRateSchedule {
        if (steps.length == 0 || steps.length != rates.length) {
            throw new IllegalArgumentException("a schedule needs as many rates as steps, at least one");
        }
        for (int i = 1; i < steps.length; i++) {
            if (steps[i] <= steps[i - 1]) {
                throw new IllegalArgumentException("schedule steps must increase: " + Arrays.toString(steps));
            }
        }
        for (float r : rates) {
            if (r < 0 || !Float.isFinite(r)) {
                throw new IllegalArgumentException("learning rates must be finite and non-negative: " + Arrays.toString(rates));
            }
        }
        steps = steps.clone();
        rates = rates.clone();
    }

    /** The rate for the update made at optimizer step {@code step} (counted from 1 for the first update). */
    public float rate(long step) {
        if (step <= steps[0]) {
            return rates[0];
        }
        for (int i = 1; i < steps.length; i++) {
            if (step <= steps[i]) {
                double t = (double) (step - steps[i - 1]) / (steps[i] - steps[i - 1]);
                return (float) (rates[i - 1] + t * (rates[i] - rates[i - 1]));
            }
        }
        return rates[rates.length - 1];
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < steps.length; i++) {
            b.append(i == 0 ? "" : " -> ").append(rates[i]).append(" @ step ").append(steps[i]);
        }
        return b.toString();
    }
}
