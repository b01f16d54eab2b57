package cn.clinicaltext.workbench.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes repeated texts (the original project did too), keeping each text's first occurrence. Repeats whose
 * label differs from the kept one are listed separately: they are label conflicts worth a look.
 *
 * @param kept      the corpus without repeats
 * @param removed   repeats with the same label as the kept record
 * @param conflicts repeats with a different label; each pairs the removed record with the kept one
 */
public record Deduplication(Corpus kept, List<LabeledText> removed, List<Conflict> conflicts) {

    public record Conflict(LabeledText kept, LabeledText removed) {
    }

    public static Deduplication of(Corpus corpus) {
        Map<String, LabeledText> first = new LinkedHashMap<>();
        List<LabeledText> removed = new ArrayList<>();
        List<Conflict> conflicts = new ArrayList<>();
        for (LabeledText r : corpus.records()) {
            LabeledText seen = first.putIfAbsent(r.text(), r);
            if (seen != null) {
                if (seen.label() == r.label()) {
                    removed.add(r);
                } else {
                    conflicts.add(new Conflict(seen, r));
                }
            }
        }
        Corpus kept = new Corpus(new ArrayList<>(first.values()), corpus.numClasses(), corpus.source(), corpus.sha256());
        return new Deduplication(kept, List.copyOf(removed), List.copyOf(conflicts));
    }

    /** The label conflicts as a table: text, kept label and line, conflicting label and line. */
    public tech.tablesaw.api.Table conflictsTable() {
        var text = tech.tablesaw.api.StringColumn.create("text");
        var keptLabel = tech.tablesaw.api.IntColumn.create("kept label");
        var keptLine = tech.tablesaw.api.IntColumn.create("kept line");
        var otherLabel = tech.tablesaw.api.IntColumn.create("other label");
        var otherLine = tech.tablesaw.api.IntColumn.create("other line");
        for (Conflict c : conflicts) {
            text.append(c.kept().text());
            keptLabel.append(c.kept().label());
            keptLine.append(c.kept().line());
            otherLabel.append(c.removed().label());
            otherLine.append(c.removed().line());
        }
        return tech.tablesaw.api.Table.create("Repeated texts with conflicting labels: " + conflicts.size(),
                text, keptLabel, keptLine, otherLabel, otherLine);
    }

    public int removedCount() {
        return removed.size() + conflicts.size();
    }

    @Override
    public String toString() {
        return "Deduplication: " + kept.size() + " unique texts kept, " + removed.size() + " repeats removed, "
                + conflicts.size() + " repeats with a conflicting label removed";
    }
}
