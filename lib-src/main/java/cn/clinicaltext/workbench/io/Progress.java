package cn.clinicaltext.workbench.io;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Progress bars on standard error: redrawn in place on a terminal; elsewhere (a log under {@code nohup}, a
 * notebook) one plain line each time another 10% is done, instead of hundreds of carriage-return frames.
 */
public final class Progress {
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})%");

    private Progress() {
    }

    public static ProgressBar bar(String task, long steps) {
        ProgressBarConsumer consumer = System.console() != null
                ? new ConsoleProgressBarConsumer(System.err, 110)
                : new DelegatingProgressBarConsumer(everyTenPercent(), 110);
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000).continuousUpdate().setConsumer(consumer).build();
    }

    /** Prints a rendered bar only when its percentage reaches the next multiple of 10. */
    static Consumer<String> everyTenPercent() {
        int[] next = {0};
        return rendered -> {
            Matcher m = PERCENT.matcher(rendered);
            if (m.find()) {
                int percent = Integer.parseInt(m.group(1));
                if (percent >= next[0]) {
                    System.err.println(rendered.strip());
                    next[0] = percent / 10 * 10 + 10;
                }
            }
        };
    }
}
