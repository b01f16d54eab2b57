package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.model.AlbertParams;
import cn.clinicaltext.workbench.model.LayerNames;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checkpoint name mapping, one explicit function per source: each takes a tensor name as that format writes it and
 * returns the engine's name for it ({@link AlbertParams}, {@link LayerNames}: Google ALBERT's TensorFlow names,
 * kernels [in, out]), whether the tensor must be transposed on the way, or that it is not used (pooler, next-sentence
 * head, tied decoder weights, buffers). A name no rule knows is {@code null}: the loader lists it as unexpected
 * rather than dropping weights without a word.
 */
public final class CheckpointNames {
    private CheckpointNames() {
    }

    /** Where a source tensor goes. */
    public record Mapped(String engineName, boolean transpose) {
        /** Tensors the model does not use, listed as ignored when loading. */
        public static final Mapped UNUSED = new Mapped(null, false);

        public boolean unused() {
            return engineName == null;
        }
    }

    private static final Pattern TF_BERT_LAYER = Pattern.compile("bert/encoder/layer_(\\d+)/(.+)");

    /**
     * Google's TensorFlow BERT ({@code modeling.py}; chinese_L-12_H-768_A-12, hfl's TF releases): embeddings and
     * the masked-LM head already carry the engine's names; layer N lives under {@code bert/encoder/layer_N/}.
     */
    public static Mapped googleBert(String name) {
        if (name.startsWith("bert/embeddings/") || name.startsWith("cls/predictions/")) {
            return new Mapped(name, false);
        }
        if (name.startsWith("bert/pooler/") || name.startsWith("cls/seq_relationship/") || name.equals("global_step")) {
            return Mapped.UNUSED;
        }
        Matcher m = TF_BERT_LAYER.matcher(name);
        if (!m.matches()) {
            return null;
        }
        LayerNames n = LayerNames.of(Integer.parseInt(m.group(1)));
        String engine = switch (m.group(2)) {
            case "attention/self/query/kernel" -> n.qKernel();
            case "attention/self/query/bias" -> n.qBias();
            case "attention/self/key/kernel" -> n.kKernel();
            case "attention/self/key/bias" -> n.kBias();
            case "attention/self/value/kernel" -> n.vKernel();
            case "attention/self/value/bias" -> n.vBias();
            case "attention/output/dense/kernel" -> n.oKernel();
            case "attention/output/dense/bias" -> n.oBias();
            case "attention/output/LayerNorm/gamma" -> n.attnLnGamma();
            case "attention/output/LayerNorm/beta" -> n.attnLnBeta();
            case "intermediate/dense/kernel" -> n.ffnInKernel();
            case "intermediate/dense/bias" -> n.ffnInBias();
            case "output/dense/kernel" -> n.ffnOutKernel();
            case "output/dense/bias" -> n.ffnOutBias();
            case "output/LayerNorm/gamma" -> n.ffnLnGamma();
            case "output/LayerNorm/beta" -> n.ffnLnBeta();
            default -> null;
        };
        return engine == null ? null : new Mapped(engine, false);
    }

    private static final Pattern HF_BERT_LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.(.+)");
    private static final Pattern HF_ALBERT_GROUP =
            Pattern.compile("encoder\\.albert_layer_groups\\.(\\d+)\\.albert_layers\\.0\\.(.+)");

    /**
     * PyTorch state-dict names of Hugging Face's {@code BertModel}/{@code BertForMaskedLM} (bert-base-chinese, hfl's
     * rbt3, and the PyTorch export inside bge-small-zh-v1.5's ONNX file) and {@code AlbertModel}/{@code
     * AlbertForMaskedLM} (ALBERT-tiny conversions), with or without the {@code bert.}/{@code albert.} prefix. Linear
     * weights are stored [out, in] there, so they are transposed. LayerNorm parameters appear as weight/bias or, in
     * older files, gamma/beta.
     */
    public static Mapped huggingFace(String name) {
        String n = name;
        if (n.startsWith("bert.")) {
            n = n.substring(5);
        } else if (n.startsWith("albert.")) {
            n = n.substring(7);
        }
        n = n.replace(".gamma", ".weight").replace(".beta", ".bias");
        switch (n) {
            case "embeddings.word_embeddings.weight":
                return new Mapped(AlbertParams.WORD, false);
            case "embeddings.position_embeddings.weight":
                return new Mapped(AlbertParams.POSITION, false);
            case "embeddings.token_type_embeddings.weight":
                return new Mapped(AlbertParams.TOKEN_TYPE, false);
            case "embeddings.LayerNorm.weight":
                return new Mapped(AlbertParams.EMB_LN_GAMMA, false);
            case "embeddings.LayerNorm.bias":
                return new Mapped(AlbertParams.EMB_LN_BETA, false);
            case "encoder.embedding_hidden_mapping_in.weight":
                return new Mapped(AlbertParams.MAP_KERNEL, true);
            case "encoder.embedding_hidden_mapping_in.bias":
                return new Mapped(AlbertParams.MAP_BIAS, false);
            // masked-LM heads: BERT's cls.predictions.*, ALBERT's predictions.*; the decoder is tied to the
            // word embeddings, its bias is the output bias
            case "cls.predictions.transform.dense.weight", "predictions.dense.weight":
                return new Mapped(AlbertParams.MLM_DENSE_KERNEL, true);
            case "cls.predictions.transform.dense.bias", "predictions.dense.bias":
                return new Mapped(AlbertParams.MLM_DENSE_BIAS, false);
            case "cls.predictions.transform.LayerNorm.weight", "predictions.LayerNorm.weight":
                return new Mapped(AlbertParams.MLM_LN_GAMMA, false);
            case "cls.predictions.transform.LayerNorm.bias", "predictions.LayerNorm.bias":
                return new Mapped(AlbertParams.MLM_LN_BETA, false);
            case "cls.predictions.bias", "predictions.bias", "cls.predictions.decoder.bias", "predictions.decoder.bias":
                return new Mapped(AlbertParams.MLM_OUTPUT_BIAS, false);
            case "cls.predictions.decoder.weight", "predictions.decoder.weight", "embeddings.position_ids":
                return Mapped.UNUSED;
            default:
                break;
        }
        if (n.startsWith("pooler.") || n.startsWith("cls.seq_relationship.") || n.startsWith("sop_classifier.")) {
            return Mapped.UNUSED;
        }
        Matcher bert = HF_BERT_LAYER.matcher(n);
        if (bert.matches()) {
            LayerNames l = LayerNames.of(Integer.parseInt(bert.group(1)));
            return switch (bert.group(2)) {
                case "attention.self.query.weight" -> new Mapped(l.qKernel(), true);
                case "attention.self.query.bias" -> new Mapped(l.qBias(), false);
                case "attention.self.key.weight" -> new Mapped(l.kKernel(), true);
                case "attention.self.key.bias" -> new Mapped(l.kBias(), false);
                case "attention.self.value.weight" -> new Mapped(l.vKernel(), true);
                case "attention.self.value.bias" -> new Mapped(l.vBias(), false);
                case "attention.output.dense.weight" -> new Mapped(l.oKernel(), true);
                case "attention.output.dense.bias" -> new Mapped(l.oBias(), false);
                case "attention.output.LayerNorm.weight" -> new Mapped(l.attnLnGamma(), false);
                case "attention.output.LayerNorm.bias" -> new Mapped(l.attnLnBeta(), false);
                case "intermediate.dense.weight" -> new Mapped(l.ffnInKernel(), true);
                case "intermediate.dense.bias" -> new Mapped(l.ffnInBias(), false);
                case "output.dense.weight" -> new Mapped(l.ffnOutKernel(), true);
                case "output.dense.bias" -> new Mapped(l.ffnOutBias(), false);
                case "output.LayerNorm.weight" -> new Mapped(l.ffnLnGamma(), false);
                case "output.LayerNorm.bias" -> new Mapped(l.ffnLnBeta(), false);
                default -> null;
            };
        }
        Matcher albert = HF_ALBERT_GROUP.matcher(n);
        if (albert.matches()) {
            LayerNames l = LayerNames.of(Integer.parseInt(albert.group(1)));
            return switch (albert.group(2)) {
                case "attention.query.weight" -> new Mapped(l.qKernel(), true);
                case "attention.query.bias" -> new Mapped(l.qBias(), false);
                case "attention.key.weight" -> new Mapped(l.kKernel(), true);
                case "attention.key.bias" -> new Mapped(l.kBias(), false);
                case "attention.value.weight" -> new Mapped(l.vKernel(), true);
                case "attention.value.bias" -> new Mapped(l.vBias(), false);
                case "attention.dense.weight" -> new Mapped(l.oKernel(), true);
                case "attention.dense.bias" -> new Mapped(l.oBias(), false);
                case "attention.LayerNorm.weight" -> new Mapped(l.attnLnGamma(), false);
                case "attention.LayerNorm.bias" -> new Mapped(l.attnLnBeta(), false);
                case "ffn.weight" -> new Mapped(l.ffnInKernel(), true);
                case "ffn.bias" -> new Mapped(l.ffnInBias(), false);
                case "ffn_output.weight" -> new Mapped(l.ffnOutKernel(), true);
                case "ffn_output.bias" -> new Mapped(l.ffnOutBias(), false);
                case "full_layer_layer_norm.weight" -> new Mapped(l.ffnLnGamma(), false);
                case "full_layer_layer_norm.bias" -> new Mapped(l.ffnLnBeta(), false);
                default -> null;
            };
        }
        return null;
    }
}
