package cn.clinicaltext.workbench.train;

import cn.clinicaltext.workbench.io.Setting;
import cn.clinicaltext.workbench.checkpoint.PretrainedStart;
import cn.clinicaltext.workbench.data.Corpus;
import cn.clinicaltext.workbench.io.Hashes;
import cn.clinicaltext.workbench.data.LabeledText;
import cn.clinicaltext.workbench.io.AtomicFiles;
import cn.clinicaltext.workbench.io.Records;
import cn.clinicaltext.workbench.model.Loss;
import cn.clinicaltext.workbench.model.TextClassifier;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Task-specific distillation: a fine-tuned teacher's class probabilities become a student's training signal
 * (Hinton, Vinyals and Dean 2015; the loss is {@link Loss#distillation}). The student (ALBERT-tiny from random
 * weights with the teacher's vocabulary, or a pretrained start that reads the same vocabulary) trains on the transfer
 * set: the labelled training texts (hard and soft term), augmented copies of them and any unlabelled texts (soft term
 * only). The teacher's probabilities are computed once and kept in the run's folder ({@value #TARGETS_FILE}, hashed
 * into the provenance and the run's fingerprint), so a resumed run does not run the teacher again.
 */
public final class Distillation {
    /** The teacher's probabilities of the transfer set, kept with the student's run. */
    public static final String TARGETS_FILE = "teacher-targets.tsv";

    /**
     * Distillation settings.
     */
    public record Settings(
            @Setting("softens both distributions in the soft term (T; 1 = the probabilities as they are)")
            float temperature,
            @Setting("weight of the hard-label term for labelled texts (0: the teacher only; 1: labels only)")
            float alpha,
            @Setting("augmented copies of each training text in the transfer set (Tang et al. 2019: masking "
                + "and n-gram sampling; here a character is masked by one outside the vocabulary, read as "
                + "[UNK])")
            int augment,
            @Setting("chance that a character of a copy is masked")
            double maskRate,
            @Setting("chance that a copy is cut to one random span of a quarter to all of the text")
            double spanRate,
            @Setting("seeds the augmentation")
            long seed,
            @Setting("where the student's weights start, a pretrained start as RunSpec.pretrained names one "
                + "(e.g. a task-agnostic student of distil-pretrain: the two stages of Jiao et al. 2020, "
                + "TinyBERT); its vocabulary must be the teacher's. Null: random weights of the run's "
                + "model shape")
            String studentStart) {
        /**
         * Starting values, not yet chosen by measurement here: T = 2 and alpha = 0.5 (a middle of the range Hinton
         * et al. report), two copies per text with Tang et al.'s masking and sampling rates (0.1, 0.25).
         */
        public static final Settings DEFAULT = new Settings(2f, 0.5f, 2, 0.1, 0.25, 42, null);

        /** These settings with the ones named replaced ({@link Records#with}). */
        public Settings with(Object... namesAndValues) {
            return Records.with(this, namesAndValues);
        }

        public Settings {
            if (!(temperature > 0) || !Float.isFinite(temperature)) {
                throw new IllegalArgumentException("distillation temperature must be positive, got " + temperature);
            }
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("distillation alpha must be in [0, 1], got " + alpha);
            }
            if (augment < 0 || augment > 100) {
                throw new IllegalArgumentException("distillation augment must be 0..100 copies per text, got " + augment);
            }
            if (!(maskRate >= 0 && maskRate < 1) || !(spanRate >= 0 && spanRate <= 1)) {
                throw new IllegalArgumentException("distillation maskRate must be in [0, 1) and spanRate in [0, 1]");
            }
        }
    }

    /**
     * What the student learns from.
     *
     * @param transfer   the transfer set (labels of unlabelled texts are the teacher's argmax, used by no loss)
     * @param teacher    the teacher's probabilities of each transfer text, at temperature 1
     * @param labelled   whether each transfer text carries a real label
     * @param vocabulary the teacher's vocabulary, which the student reads with
     * @param identity   what taught it: the teacher's folder and the SHA-256 of its weights and of the targets
     * @param settings   temperature, alpha and augmentation
     */
    public record Teacher(Corpus transfer, float[][] teacher, boolean[] labelled, Vocabulary vocabulary,
                          String identity, Settings settings) {
    }

    private Distillation() {
    }

    /**
     * Refuses a student start whose vocabulary is not the teacher's: the teacher's probabilities are over texts read
     * with its vocabulary, so the student must read them the same way (both stages of TinyBERT keep the teacher's).
     */
    public static void checkStudentStart(PretrainedStart start, Vocabulary teacher) throws IOException {
        if (!start.vocabulary().tokens().equals(teacher.tokens())) {
            throw new IllegalArgumentException("the student's start " + start.describe() + " has a vocabulary of "
                    + start.vocabulary().size() + " tokens that is not the teacher's (" + teacher.size()
                    + " tokens); give a start made with the teacher's vocabulary");
        }
    }

    /**
     * The transfer set and the teacher's probabilities of it: read from {@code runDir}'s {@value #TARGETS_FILE} when
     * that holds the same teacher and texts, else computed and written there (atomically).
     *
     * @param teacherIdentity the teacher's folder and weights hash, recorded with the targets
     */
    public static Teacher prepare(TextClassifier teacher, String teacherIdentity, Corpus train, List<String> unlabeled,
                                  Settings settings, Path runDir) throws IOException {
        List<LabeledText> records = new ArrayList<>(train.records());
        List<Boolean> labelled = new ArrayList<>();
        train.records().forEach(r -> labelled.add(true));
        Random random = new Random(settings.seed());
        for (int copy = 0; copy < settings.augment(); copy++) {
            for (LabeledText r : train.records()) {
                String text = augment(r.text(), settings, random);
                if (!text.isBlank()) {
                    records.add(new LabeledText(text, r.label()));
                    labelled.add(false);
                }
            }
        }
        List<String> texts = new ArrayList<>();
        records.forEach(r -> texts.add(r.text()));
        texts.addAll(unlabeled);
        String header = "# teacher " + teacherIdentity + "; texts " + Hashes.sha256(String.join("\n", texts)
                .getBytes(StandardCharsets.UTF_8));
        Path file = runDir.resolve(TARGETS_FILE);
        float[][] probs = read(file, header, texts.size(), teacher.labels().size());
        if (probs == null) {
            probs = teacher.probabilities(texts, 64);
            write(file, header, texts, probs);
        }
        // the unlabelled texts follow the labelled ones and their copies in `texts`, so their probabilities start at
        // that fixed offset (taken before the loop: records grows inside it)
        int firstUnlabeled = records.size();
        for (int i = 0; i < unlabeled.size(); i++) {
            float[] p = probs[firstUnlabeled + i];
            records.add(new LabeledText(unlabeled.get(i), Loss.argmax(p)));
            labelled.add(false);
        }
        boolean[] flags = new boolean[labelled.size()];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = labelled.get(i);
        }
        Corpus transfer = Corpus.of(records, train.labelNames());
        String identity = teacherIdentity + "; targets " + targetsHash(file);
        return new Teacher(transfer, probs, flags, teacher.tokenizer().vocabulary(), identity, settings);
    }

    /**
     * One augmented copy: each character masked (replaced by U+E000, outside every vocabulary, read as [UNK]) with
     * probability maskRate; with probability spanRate the copy is then cut to one random span of a quarter to all of
     * its length (Tang et al. 2019's n-gram sampling, on characters).
     */
    static String augment(String text, Settings s, Random random) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (!Character.isWhitespace(c) && random.nextDouble() < s.maskRate()) {
                b.append('\uE000');
            } else {
                b.appendCodePoint(c);
            }
        });
        String masked = b.toString();
        if (random.nextDouble() >= s.spanRate()) {
            return masked;
        }
        int[] cps = masked.codePoints().toArray();
        int min = Math.max(1, cps.length / 4);
        int length = min + random.nextInt(cps.length - min + 1);
        int start = random.nextInt(cps.length - length + 1);
        return new String(cps, start, length);
    }

    /**
     * SHA-256 of the targets file below its header line. The header names the teacher's folder, so hashing it too
     * gave the same probabilities another hash wherever the teacher lay (two clones of the demo: da40d7... and
     * 12fd86... for identical lines).
     */
    public static String targetsHash(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int body = 0;
        while (body < bytes.length && bytes[body] != '\n') {
            body++;
        }
        return Hashes.sha256(Arrays.copyOfRange(bytes, Math.min(body + 1, bytes.length), bytes.length));
    }

    private static float[][] read(Path file, String header, int n, int classes) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() != n + 1 || !lines.get(0).equals(header)) {
            return null;                    // another teacher or transfer set: computed again, the file replaced
        }
        float[][] out = new float[n][classes];
        for (int i = 0; i < n; i++) {
            String[] cells = lines.get(i + 1).split("\t");
            if (cells.length != classes) {
                return null;
            }
            for (int c = 0; c < classes; c++) {
                out[i][c] = Float.parseFloat(cells[c]);
            }
        }
        return out;
    }

    /** One line per transfer text: its probabilities (full float precision), in the order of the transfer set. */
    private static void write(Path file, String header, List<String> texts, float[][] probs) throws IOException {
        StringBuilder b = new StringBuilder(header).append('\n');
        for (int i = 0; i < texts.size(); i++) {
            for (int c = 0; c < probs[i].length; c++) {
                b.append(c == 0 ? "" : "\t").append(String.format(Locale.ROOT, "%.9g", probs[i][c]));
            }
            b.append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }
}
