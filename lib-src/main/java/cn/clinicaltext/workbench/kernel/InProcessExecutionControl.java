package cn.clinicaltext.workbench.kernel;

import jdk.jshell.execution.DirectExecutionControl;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs JShell snippets inside the kernel's JVM, on a thread of their own so that a cell can be stopped, and keeps
 * each snippet's result object (not only its string) so the kernel can render charts, images and tables.
 * <p>
 * JShell only passes a string back from the execution engine; this engine returns a key into {@link #results}.
 */
final class InProcessExecutionControl extends DirectExecutionControl {
    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();
    private volatile Thread running;
    private volatile boolean stopRequested;

    @Override
    protected String invoke(Method doit) throws Exception {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(() -> {
            try {
                result[0] = doit.invoke(null);
            } catch (InvocationTargetException e) {
                failure[0] = e.getCause();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "notebook-cell");
        worker.setContextClassLoader(doit.getDeclaringClass().getClassLoader());
        stopRequested = false;
        running = worker;
        worker.start();
        try {
            worker.join();
        } finally {
            running = null;
        }
        if (stopRequested) {
            throw new StoppedException();
        }
        if (failure[0] != null) {
            throw new InvocationTargetException(failure[0]);
        }
        String key = "result#" + counter.incrementAndGet();
        results.clear();
        if (result[0] != null) {
            results.put(key, result[0]);
        }
        return key;
    }

    /** The object a snippet evaluated to, given the string JShell reported as its value. */
    Object takeResult(String key) {
        return key == null ? null : results.remove(key);
    }

    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void stop() {
        Thread worker = running;
        if (worker == null) {
            return;
        }
        stopRequested = true;
        worker.interrupt();
        try {
            worker.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            // A cell busy in a loop never checks its interrupt flag; Thread.stop is the only way out (JDK 17).
            worker.stop();
        }
    }
}
