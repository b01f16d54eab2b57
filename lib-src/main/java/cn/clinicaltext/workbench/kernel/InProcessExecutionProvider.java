package cn.clinicaltext.workbench.kernel;

import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.util.Map;

/** Hands JShell the one in-process execution engine of this kernel. */
final class InProcessExecutionProvider implements ExecutionControlProvider {
    private final InProcessExecutionControl control = new InProcessExecutionControl();

    InProcessExecutionControl control() {
        return control;
    }

    @Override
    public String name() {
        return "workbench-in-process";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return control;
    }
}
