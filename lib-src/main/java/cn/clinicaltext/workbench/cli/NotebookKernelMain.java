package cn.clinicaltext.workbench.cli;

import cn.clinicaltext.workbench.kernel.KernelMain;
import cn.clinicaltext.workbench.plot.NotebookRendering;

import java.util.List;

/**
 * The entry point Jupyter starts for the notebooks ({@code install-kernel} writes it into the kernelspec): the
 * kernel, told how the workbench's own figure types show ({@link NotebookRendering}).
 */
public final class NotebookKernelMain {
    private NotebookKernelMain() {
    }

    public static void main(String[] args) throws Exception {
        KernelMain.serve(args, List.of(NotebookRendering::register));
    }
}
