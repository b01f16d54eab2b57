package cn.clinicaltext.workbench.eval;

import cn.clinicaltext.workbench.model.Prediction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/** Predictions as a table: text, predicted class and every class's probability. */
public final class PredictionTable {
    private PredictionTable() {
    }

    public static Table of(List<Prediction> predictions) {
        StringColumn text = StringColumn.create("text");
        StringColumn label = StringColumn.create("prediction");
        List<DoubleColumn> probs = new ArrayList<>();
        List<String> names = predictions.isEmpty() ? List.of() : predictions.get(0).labelNames();
        for (String n : names) {
            probs.add(DoubleColumn.create("p(" + n + ")"));
        }
        for (Prediction p : predictions) {
            text.append(p.text());
            label.append(p.labelName());
            for (int c = 0; c < names.size(); c++) {
                probs.get(c).append(Math.round(p.probabilities()[c] * 10000) / 10000.0);
            }
        }
        Table t = Table.create("Predictions", text, label);
        probs.forEach(t::addColumns);
        return t;
    }
}
