package cn.clinicaltext.workbench.data;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Removes repeated texts (the original project did too) so that no text can land in two splits. Copies with the
 * same label are merged into the first. Copies with different labels are label conflicts: they are resolved by a
 * {@link DuplicatePolicy} and every one is listed, with its lines and the decision.
 *
 * @param kept      the corpus without repeats, in order of first occurrence
 * @param removed   repeats with the same label as the kept record
 * @param conflicts texts whose copies disagree on the label
 * @param policy    how conflicts were resolved
 */
public record Deduplication(Corpus kept, List<LabeledText> removed, List<Conflict> conflicts, DuplicatePolicy policy) {

    /**
     * A text whose copies carry different labels.
     *
     * @param copies every copy, in file order
     * @param kept   the copy kept, or null when the policy dropped them all
     */
    public record Conflict(String text, List<LabeledText> copies, LabeledText kept) {
        public boolean dropped() {
            return kept == null;
        }
    }

    /** With the default policy ({@link DuplicatePolicy#DROP_ALL}). */
    public static Deduplication of(Corpus corpus) {
        return of(corpus, DuplicatePolicy.DEFAULT);
    }

    public static Deduplication of(Corpus corpus, DuplicatePolicy policy) {
        Map<String, List<LabeledText>> byText = new LinkedHashMap<>();
        for (LabeledText r : corpus.records()) {
            byText.computeIfAbsent(r.text(), t -> new ArrayList<>()).add(r);
        }
        List<LabeledText> kept = new ArrayList<>();
        List<LabeledText> removed = new ArrayList<>();
        List<Conflict> conflicts = new ArrayList<>();
        for (var e : byText.entrySet()) {
            List<LabeledText> copies = e.getValue();
            LabeledText first = copies.get(0);
            if (copies.stream().allMatch(r -> r.label() == first.label())) {
                kept.add(first);
                removed.addAll(copies.subList(1, copies.size()));
                continue;
            }
            LabeledText chosen = switch (policy) {
                case DROP_ALL -> null;
                case KEEP_FIRST -> first;
                case MAJORITY -> majority(copies, corpus.numClasses());
            };
            if (chosen != null) {
                kept.add(chosen);
                for (LabeledText r : copies) {
                    if (r != chosen && r.label() == chosen.label()) {
                        removed.add(r);
                    }
                }
            }
            conflicts.add(new Conflict(e.getKey(), List.copyOf(copies), chosen));
        }
        Corpus keptCorpus = new Corpus(kept, corpus.labelNames(), corpus.source(), corpus.sha256());
        return new Deduplication(keptCorpus, List.copyOf(removed), List.copyOf(conflicts), policy);
    }

    /** The first copy of the label most copies carry, or null on a tie. */
    private static LabeledText majority(List<LabeledText> copies, int numClasses) {
        int[] counts = new int[numClasses];
        copies.forEach(r -> counts[r.label()]++);
        int best = 0;
        for (int k = 1; k < numClasses; k++) {
            if (counts[k] > counts[best]) {
                best = k;
            }
        }
        for (int k = 0; k < numClasses; k++) {
            if (k != best && counts[k] == counts[best]) {
                return null;
            }
        }
        int label = best;
        return copies.stream().filter(r -> r.label() == label).findFirst().orElseThrow();
    }

    /** Records not kept: same-label repeats plus every copy of a conflicting text whose label was not kept. */
    public int removedCount() {
        int n = removed.size();
        for (Conflict c : conflicts) {
            n += (int) c.copies().stream().filter(r -> c.dropped() || r.label() != c.kept().label()).count();
        }
        return n;
    }

    /** The label conflicts: text, each label with the lines that carry it, and what was done. */
    public Table conflictsTable() {
        List<String> names = kept.labelNames();
        StringColumn text = StringColumn.create("text");
        IntColumn copies = IntColumn.create("copies");
        StringColumn labels = StringColumn.create("labels (lines)");
        StringColumn decision = StringColumn.create("decision");
        for (Conflict c : conflicts) {
            text.append(c.text());
            copies.append(c.copies().size());
            Map<Integer, StringJoiner> lines = new LinkedHashMap<>();
            for (LabeledText r : c.copies()) {
                lines.computeIfAbsent(r.label(), k -> new StringJoiner(", ")).add(String.valueOf(r.line()));
            }
            StringJoiner all = new StringJoiner("; ");
            lines.forEach((label, l) -> all.add(names.get(label) + " (" + l + ")"));
            labels.append(all.toString());
            decision.append(c.dropped() ? "dropped" : "kept as " + names.get(c.kept().label()));
        }
        return Table.create("Repeated texts with conflicting labels: " + conflicts.size() + " (policy "
                + policy.name().toLowerCase(Locale.ROOT) + ")", text, copies, labels, decision);
    }

    @Override
    public String toString() {
        long dropped = conflicts.stream().filter(Conflict::dropped).count();
        return "Deduplication: " + kept.size() + " unique texts kept, " + removed.size() + " same-label repeats removed, "
                + conflicts.size() + " texts with conflicting labels (" + dropped + " dropped, "
                + (conflicts.size() - dropped) + " resolved; policy " + policy.name().toLowerCase(Locale.ROOT) + ")";
    }
}
