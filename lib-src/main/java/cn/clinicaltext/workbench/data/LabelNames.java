package cn.clinicaltext.workbench.data;

import java.util.ArrayList;
import java.util.List;

/** Display names of the classes: the three of this task, or "class k" for other datasets. */
public final class LabelNames {
    public static final List<String> DIGESTIVE_TRACT = List.of("0 neither", "1 upper GI", "2 lower GI");

    private LabelNames() {
    }

    public static List<String> namesFor(int numClasses) {
        if (numClasses == DIGESTIVE_TRACT.size()) {
            return DIGESTIVE_TRACT;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < numClasses; i++) {
            names.add("class " + i);
        }
        return names;
    }
}
