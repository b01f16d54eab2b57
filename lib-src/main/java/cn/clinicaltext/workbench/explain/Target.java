package cn.clinicaltext.workbench.explain;

/**
 * Which class an attribution explains: the one the model predicts for each text, or a fixed class.
 *
 * @param classIndex the fixed class, or {@link #PREDICTED_INDEX}
 */
public record Target(int classIndex) {
    private static final int PREDICTED_INDEX = -1;
    public static final Target PREDICTED = new Target(PREDICTED_INDEX);

    public Target {
        if (classIndex < PREDICTED_INDEX) {
            throw new IllegalArgumentException("class index must be non-negative: " + classIndex);
        }
    }

    public static Target of(int classIndex) {
        if (classIndex < 0) {
            throw new IllegalArgumentException("class index must be non-negative: " + classIndex);
        }
        return new Target(classIndex);
    }

    /** "predicted" or a class index. */
    public static Target parse(String s) {
        return s.equalsIgnoreCase("predicted") ? PREDICTED : of(Integer.parseInt(s.trim()));
    }

    public boolean isPredicted() {
        return classIndex == PREDICTED_INDEX;
    }

    /** The class explained for a text the model predicts as {@code predicted}. */
    public int resolve(int predicted, int numClasses) {
        int c = isPredicted() ? predicted : classIndex;
        if (c >= numClasses) {
            throw new IllegalArgumentException("target class " + c + " but the model has " + numClasses + " classes");
        }
        return c;
    }

    @Override
    public String toString() {
        return isPredicted() ? "predicted" : String.valueOf(classIndex);
    }
}
