package cn.clinicaltext.workbench.spark;

import cn.clinicaltext.workbench.checkpoint.SavedModel;
import cn.clinicaltext.workbench.explain.Attribution;
import cn.clinicaltext.workbench.explain.Explainer;
import cn.clinicaltext.workbench.model.Parallel;
import cn.clinicaltext.workbench.model.Prediction;
import cn.clinicaltext.workbench.model.TextClassifier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hospital's archive on Apache Spark: reads texts (text files, one per line; CSV with a header; Parquet; any
 * Hadoop path), classifies them with a saved model and writes label, label name, class probabilities and, when
 * asked, the top integrated-gradients keywords of each text, as Parquet or CSV.
 * <p>
 * Each executor JVM loads the model once (from a local path, or copied from HDFS/S3/... to a local folder first) and
 * keeps it for every task; a partition's texts are classified together, sorted by length into batches of 64
 * (the workbench's own {@link TextClassifier#predict}), so padding is small. The engine runs one thread per task:
 * Spark's tasks already use the executor's cores ({@code spark.executor.cores}).
 * <pre>
 *   spark-submit --class cn.clinicaltext.workbench.spark.ArchiveJob target/workbench-spark.jar \
 *       --model hdfs:///models/model-seed42 --input hdfs:///archive/reports/ --output hdfs:///archive/labels/
 * </pre>
 */
public final class ArchiveJob {
    /** Options; {@link #parse} is the one place they are defaulted. */
    public record Settings(String model, String input, String inputFormat, String textColumn, String output,
                           String outputFormat, int keywords) {
        public Settings {
            for (String[] f : new String[][]{{"--model", model}, {"--input", input}, {"--output", output}}) {
                if (f[1] == null || f[1].isBlank()) {
                    throw new IllegalArgumentException(f[0] + " is required");
                }
            }
            if (!List.of("text", "csv", "parquet").contains(inputFormat)) {
                throw new IllegalArgumentException("--input-format must be text, csv or parquet, got " + inputFormat);
            }
            if (!List.of("csv", "parquet").contains(outputFormat)) {
                throw new IllegalArgumentException("--output-format must be parquet or csv, got " + outputFormat);
            }
            if (keywords < 0) {
                throw new IllegalArgumentException("--keywords must be >= 0, got " + keywords);
            }
        }

        /**
         * {@code --model DIR --input PATH --output PATH [--input-format text|csv|parquet] [--text-column text]
         * [--output-format parquet|csv] [--keywords K]}.
         */
        public static Settings parse(String... args) {
            Map<String, String> o = new HashMap<>(Map.of("--input-format", "text", "--text-column", "text",
                    "--output-format", "parquet", "--keywords", "0"));
            for (int i = 0; i < args.length; i += 2) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --option value pairs, got '" + args[i] + "'");
                }
                o.put(args[i], args[i + 1]);
            }
            for (String k : o.keySet()) {
                if (!List.of("--model", "--input", "--output", "--input-format", "--text-column", "--output-format",
                        "--keywords").contains(k)) {
                    throw new IllegalArgumentException("unknown option " + k);
                }
            }
            int keywords;
            try {
                keywords = Integer.parseInt(o.get("--keywords"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--keywords must be a whole number, got " + o.get("--keywords"));
            }
            return new Settings(o.get("--model"), o.get("--input"), o.get("--input-format").toLowerCase(Locale.ROOT),
                    o.get("--text-column"), o.get("--output"), o.get("--output-format").toLowerCase(Locale.ROOT),
                    keywords);
        }
    }

    private ArchiveJob() {
    }

    public static void main(String[] args) {
        Settings s = Settings.parse(args);
        SparkSession spark = SparkSession.builder().appName("workbench archive classification").getOrCreate();
        try {
            write(classify(spark, s), s);
        } finally {
            spark.stop();
        }
    }

    /** The texts of the input, one column "text". */
    public static Dataset<Row> read(SparkSession spark, Settings s) {
        return switch (s.inputFormat()) {
            case "text" -> spark.read().text(s.input()).withColumnRenamed("value", "text");
            case "csv" -> spark.read().option("header", "true").option("multiLine", "true").csv(s.input())
                    .select(col(s.textColumn()).as("text"));
            default -> spark.read().parquet(s.input()).select(col(s.textColumn()).as("text"));
        };
    }

    /** Output columns: text, label, label_name, probabilities (array of float) and keywords when asked. */
    public static StructType schema(int keywords) {
        StructType t = new StructType()
                .add("text", DataTypes.StringType)
                .add("label", DataTypes.IntegerType)
                .add("label_name", DataTypes.StringType)
                .add("probabilities", DataTypes.createArrayType(DataTypes.FloatType, false));
        return keywords > 0 ? t.add("keywords", DataTypes.StringType) : t;
    }

    public static Dataset<Row> classify(SparkSession spark, Settings s) {
        String model = s.model();
        int keywords = s.keywords();
        MapPartitionsFunction<Row, Row> predict = rows -> classifyPartition(rows, model, keywords);
        return read(spark, s).mapPartitions(predict, Encoders.row(schema(keywords)));
    }

    public static void write(Dataset<Row> predictions, Settings s) {
        if (s.outputFormat().equals("csv")) {
            // CSV has no arrays: probabilities as "p0 p1 ..."
            predictions.withColumn("probabilities", concat_ws(" ",
                            predictions.col("probabilities").cast("array<string>")))
                    .write().option("header", "true").csv(s.output());
        } else {
            predictions.write().parquet(s.output());
        }
    }

    /** One partition: all its texts through the model in length-sorted batches; a null text gets null outputs. */
    static Iterator<Row> classifyPartition(Iterator<Row> rows, String model, int keywords) {
        List<String> texts = new ArrayList<>();
        rows.forEachRemaining(r -> texts.add(r.getString(0)));
        List<String> present = texts.stream().filter(t -> t != null).toList();
        TextClassifier classifier = Models.get(model);
        List<Prediction> predictions = classifier.predict(present);
        List<Attribution> attributions = keywords > 0 ? Explainer.of(classifier).explainTexts(present) : null;
        List<Row> out = new ArrayList<>(texts.size());
        int k = 0;
        for (String t : texts) {
            if (t == null) {
                out.add(keywords > 0 ? RowFactory.create(null, null, null, null, null)
                        : RowFactory.create(null, null, null, null));
                continue;
            }
            Prediction p = predictions.get(k);
            float[] probs = p.probabilities();
            Float[] boxed = new Float[probs.length];
            for (int c = 0; c < probs.length; c++) {
                boxed[c] = probs[c];
            }
            if (keywords > 0) {
                out.add(RowFactory.create(t, p.label(), p.labelName(), boxed,
                        String.join(" ", attributions.get(k).topTokens(keywords))));
            } else {
                out.add(RowFactory.create(t, p.label(), p.labelName(), boxed));
            }
            k++;
        }
        return out.iterator();
    }

    /** The models of this JVM, loaded once each. */
    static final class Models {
        private static final Map<String, TextClassifier> LOADED = new ConcurrentHashMap<>();

        private Models() {
        }

        static TextClassifier get(String model) {
            return LOADED.computeIfAbsent(model, m -> {
                // Spark runs one task per core: each task's engine work stays on its own thread
                Parallel.setThreads(1);
                try {
                    return SavedModel.classifier(localCopy(m));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot load the model " + m, e);
                }
            });
        }

        /** A local folder as it is; any other Hadoop path (hdfs://, s3a://, ...) copied to a temporary folder. */
        static Path localCopy(String model) throws IOException {
            URI uri = URI.create(model);
            if (uri.getScheme() == null || uri.getScheme().equals("file")) {
                return uri.getScheme() == null ? Path.of(model) : Path.of(uri);
            }
            Path dir = Files.createTempDirectory("workbench-model-");
            FileSystem fs = FileSystem.get(uri, new Configuration());
            fs.copyToLocalFile(false, new org.apache.hadoop.fs.Path(uri), new org.apache.hadoop.fs.Path(dir.toUri()),
                    true);
            Path copied = dir.resolve(new org.apache.hadoop.fs.Path(uri).getName());
            return Files.isDirectory(copied) ? copied : dir;
        }
    }
}
