package cn.clinicaltext.workbench.data;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Two ways a corpus can give its classes away without any clinical word, which make attributions and test scores
 * look better than they are: the first character (a template's opening or boilerplate) predicting the class, and test
 * texts that are recombinations of training clauses (so the test set repeats training material).
 */
public final class TemplateLeakage {
    /** Clause boundaries: Chinese and ASCII commas, semicolons, full stops and colons. */
    private static final String CLAUSE_BREAKS = "[，,；;。：:]";

    private TemplateLeakage() {
    }

    /**
     * How well the first character alone predicts the class: the share of texts whose class is the majority class
     * of their first character (leave-one-out free, so an upper bound), next to the share of the largest class (what
     * knowing nothing gives).
     */
    public static double firstCharacterPurity(Corpus corpus) {
        long right = 0;
        for (long[] counts : byFirstCharacter(corpus).values()) {
            long max = 0;
            for (long c : counts) {
                max = Math.max(max, c);
            }
            right += max;
        }
        return (double) right / corpus.size();
    }

    /** The share of the largest class: purity's floor. */
    public static double majorityShare(Corpus corpus) {
        long max = 0;
        for (long c : corpus.classCounts()) {
            max = Math.max(max, c);
        }
        return (double) max / corpus.size();
    }

    /** The {@code k} most frequent first characters with their count, majority class and its share. */
    public static Table firstCharacters(Corpus corpus, List<String> classNames, int k) {
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(byFirstCharacter(corpus).entrySet());
        rows.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -sum(e.getValue())).thenComparing(Map.Entry::getKey));
        StringColumn ch = StringColumn.create("first character");
        IntColumn n = IntColumn.create("texts");
        StringColumn cls = StringColumn.create("majority class");
        DoubleColumn share = DoubleColumn.create("its share");
        for (Map.Entry<String, long[]> e : rows.subList(0, Math.min(k, rows.size()))) {
            long[] c = e.getValue();
            int best = 0;
            for (int i = 1; i < c.length; i++) {
                best = c[i] > c[best] ? i : best;
            }
            ch.append(e.getKey());
            n.append((int) sum(c));
            cls.append(classNames.get(best));
            share.append(Math.round(1000.0 * c[best] / sum(c)) / 1000.0);
        }
        return Table.create(String.format(Locale.ROOT,
                "First characters: purity %.3f (majority class alone %.3f)", firstCharacterPurity(corpus),
                majorityShare(corpus)), ch, n, cls, share);
    }

    /** Texts per class, by first character (a code point), in order of first appearance. */
    private static Map<String, long[]> byFirstCharacter(Corpus corpus) {
        Map<String, long[]> byFirst = new LinkedHashMap<>();
        for (LabeledText r : corpus.records()) {
            String first = new String(Character.toChars(r.text().codePointAt(0)));
            byFirst.computeIfAbsent(first, x -> new long[corpus.numClasses()])[r.label()]++;
        }
        return byFirst;
    }

    /** The share of {@code test} texts all of whose clauses (split at punctuation) occur in {@code train} texts. */
    public static double recombinedShare(Corpus train, Corpus test) {
        Set<String> seen = new HashSet<>();
        for (LabeledText r : train.records()) {
            seen.addAll(clauses(r.text()));
        }
        long made = 0;
        for (LabeledText r : test.records()) {
            List<String> cs = clauses(r.text());
            if (!cs.isEmpty() && seen.containsAll(cs)) {
                made++;
            }
        }
        return test.size() == 0 ? 0 : (double) made / test.size();
    }

    static List<String> clauses(String text) {
        List<String> out = new ArrayList<>();
        for (String c : text.split(CLAUSE_BREAKS)) {
            if (!c.isBlank()) {
                out.add(c.strip());
            }
        }
        return out;
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) {
            s += x;
        }
        return s;
    }
}
