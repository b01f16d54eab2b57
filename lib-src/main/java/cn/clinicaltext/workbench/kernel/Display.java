package cn.clinicaltext.workbench.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;

/**
 * {@code display(x)} for notebook cells: shows charts, images and tables as rich output in the notebook.
 * Outside a kernel it prints {@code x} to standard output, so the same code runs from a plain JVM.
 */
public final class Display {
    private Display() {
    }

    public static void display(Object value) {
        JavaKernel kernel = JavaKernel.current();
        if (kernel == null) {
            System.out.println(value);
            return;
        }
        DisplayData data = kernel.getRenderer().render(value);
        kernel.display(data);
    }
}
