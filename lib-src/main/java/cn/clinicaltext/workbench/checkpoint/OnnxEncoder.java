package cn.clinicaltext.workbench.checkpoint;

import cn.clinicaltext.workbench.checkpoint.onnx.OnnxModel.AttributeProto;
import cn.clinicaltext.workbench.checkpoint.onnx.OnnxModel.GraphProto;
import cn.clinicaltext.workbench.checkpoint.onnx.OnnxModel.ModelProto;
import cn.clinicaltext.workbench.checkpoint.onnx.OnnxModel.NodeProto;
import cn.clinicaltext.workbench.checkpoint.onnx.OnnxModel.TensorProto;
import cn.clinicaltext.workbench.model.Activation;
import cn.clinicaltext.workbench.model.AlbertConfig;
import cn.clinicaltext.workbench.model.Tensor;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A BERT encoder exported to ONNX from PyTorch (as bge-small-zh-v1.5 inside its Maven Central jar), read into a
 * PyTorch state dict and a config. The file is parsed with protobuf (the schema subset in {@code lib-src/main/proto}).
 * <ul>
 *   <li>Weights: the graph's float initializers. The exporter keeps PyTorch's names for embeddings, biases and
 *       LayerNorms but gives the 24 matrices of a 4-layer BERT anonymous names ({@code onnx::MatMul_541}, stored
 *       [in, out] as MatMul's right operand): each is named by the bias its MatMul's output is added to
 *       ({@code X.bias} names {@code X.weight}) and kept [in, out], the engine's layout ({@link Read#mapName}
 *       tells the loader not to transpose them as it does PyTorch's [out, in] Linear weights).</li>
 *   <li>Config: sizes from the tensors' shapes; the head count from the attention scale (the constant the scores
 *       Q K^T are divided by is sqrt(head size)); the GELU from the graph's {@code Erf} (exact) or {@code Tanh}
 *       (tanh form) nodes; the LayerNorm epsilon from the constant added to the variance before its square root
 *       (or a {@code LayerNormalization} node's attribute).</li>
 * </ul>
 * Anything that does not fit (a truncated file, another kind of graph, weights outside the file, a missing tensor)
 * is refused with what is wrong.
 */
public final class OnnxEncoder {
    /** ONNX TensorProto.DataType FLOAT and INT64. */
    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private static final Pattern LAYER = Pattern.compile("(?:bert\\.)?encoder\\.layer\\.(\\d+)\\..+");

    private OnnxEncoder() {
    }

    /**
     * What was read: the weights under PyTorch names, the config, the exporter, and which matrices are stored
     * [in, out] (the MatMul operands; every other tensor as PyTorch holds it).
     */
    public record Read(Map<String, Tensor> tensors, AlbertConfig config, String producer, Set<String> storedInOut)
            implements AutoCloseable {
        /** Hugging Face's name mapping, without its transposition for the matrices already [in, out]. */
        public CheckpointNames.Mapped mapName(String name) {
            CheckpointNames.Mapped m = CheckpointNames.huggingFace(name);
            return m != null && storedInOut.contains(name) ? new CheckpointNames.Mapped(m.engineName(), false) : m;
        }

        @Override
        public void close() {
            tensors.values().forEach(Tensor::close);
        }
    }

    /** Reads the model from {@code in} (closed by the caller); {@code where} names it in errors. */
    public static Read read(InputStream in, String where) throws IOException {
        ModelProto model;
        try {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            model = ModelProto.parseFrom(coded);
        } catch (InvalidProtocolBufferException e) {
            throw new CheckpointException(where + ": not a readable ONNX model (truncated, or not ONNX at all: "
                    + e.getMessage() + ")");
        }
        GraphProto g = model.getGraph();
        if (!model.hasGraph() || g.getInitializerCount() == 0) {
            throw new CheckpointException(where + ": not an ONNX model with weights (no graph initializers; "
                    + (model.getIrVersion() == 0 ? "no ONNX IR version either: probably not an ONNX file" : "IR version "
                    + model.getIrVersion()) + ")");
        }
        Graph graph = new Graph(g);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try {
            Set<String> storedInOut = nameAndCollectWeights(where, graph, tensors);
            AlbertConfig config = config(where, graph, tensors);
            return new Read(tensors, config, model.getProducerName() + " " + model.getProducerVersion(), storedInOut);
        } catch (IOException | RuntimeException e) {
            tensors.values().forEach(Tensor::close);
            throw e;
        }
    }

    /** The graph's wiring: initializers by name, each value's producing node and consuming nodes. */
    private static final class Graph {
        final Map<String, TensorProto> initializers = new LinkedHashMap<>();
        final Map<String, NodeProto> producer = new HashMap<>();
        final Map<String, List<NodeProto>> consumers = new HashMap<>();
        final List<NodeProto> nodes;

        Graph(GraphProto g) {
            nodes = g.getNodeList();
            for (TensorProto t : g.getInitializerList()) {
                initializers.put(t.getName(), t);
            }
            for (NodeProto n : nodes) {
                for (String out : n.getOutputList()) {
                    producer.put(out, n);
                }
                for (String in : n.getInputList()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }

        List<NodeProto> consumersOf(String value) {
            return consumers.getOrDefault(value, List.of());
        }

        boolean isWeight(String value) {
            return initializers.containsKey(value);
        }

        /** A scalar float constant: an initializer, or the output of a Constant node; null otherwise. */
        Float scalar(String value) {
            TensorProto t = initializers.get(value);
            NodeProto p = producer.get(value);
            if (t == null && p != null && p.getOpType().equals("Constant")) {
                for (AttributeProto a : p.getAttributeList()) {
                    if (a.getName().equals("value") && a.hasT()) {
                        t = a.getT();
                    } else if (a.getName().equals("value_float")) {
                        return a.getF();
                    }
                }
            }
            if (t == null || t.getDataType() != FLOAT || elements(t) != 1) {
                return null;
            }
            return values(t)[0];
        }

        long count(String op) {
            return nodes.stream().filter(n -> n.getOpType().equals(op)).count();
        }
    }

    /**
     * Every float initializer into {@code out}: named ones as they are, MatMul right operands renamed after the bias
     * added to their product (their names are returned: they stay [in, out]). Integer initializers (shape
     * constants) are left out.
     */
    private static Set<String> nameAndCollectWeights(String where, Graph graph, Map<String, Tensor> out)
            throws IOException {
        Map<String, String> renamed = new HashMap<>();
        List<String> unnamed = new ArrayList<>();
        for (NodeProto n : graph.nodes) {
            if (!n.getOpType().equals("MatMul") || n.getInputCount() != 2 || !graph.isWeight(n.getInput(1))) {
                continue;
            }
            String weight = n.getInput(1);
            String bias = null;
            for (NodeProto add : graph.consumersOf(n.getOutput(0))) {
                if (add.getOpType().equals("Add")) {
                    for (String in : add.getInputList()) {
                        if (graph.isWeight(in) && in.endsWith(".bias")) {
                            bias = in;
                        }
                    }
                }
            }
            if (bias == null) {
                unnamed.add(weight + " (MatMul " + n.getName() + ")");
            } else {
                renamed.put(weight, bias.substring(0, bias.length() - ".bias".length()) + ".weight");
            }
        }
        if (!unnamed.isEmpty()) {
            throw new CheckpointException(where + ": not a BERT encoder as exported from PyTorch: these matrices are"
                    + " not followed by a bias whose name would name them: " + unnamed);
        }
        for (TensorProto t : graph.initializers.values()) {
            if (t.getDataLocation() == 1) {
                throw new CheckpointException(where + ": tensor " + t.getName() + " is stored in an external file"
                        + " (ONNX external data), which is not read; export the model with its weights inside");
            }
            if (t.getDataType() == INT64 || t.getDataType() != FLOAT && elements(t) <= 16) {
                continue;
            }
            if (t.getDataType() != FLOAT) {
                throw new CheckpointException(where + ": tensor " + t.getName() + " has ONNX data type "
                        + t.getDataType() + "; only float32 (1) weights are read");
            }
            int[] shape = shape(where, t);
            float[] v = values(t);
            if (v.length != elements(t)) {
                throw new CheckpointException(where + ": tensor " + t.getName() + " holds " + v.length
                        + " values, its shape " + Arrays.toString(shape) + " needs " + elements(t));
            }
            String name = renamed.get(t.getName());
            if (name != null) {
                if (shape.length != 2) {
                    throw new CheckpointException(where + ": MatMul weight " + t.getName() + " is not a matrix");
                }
            } else if (t.getName().startsWith("onnx::") && elements(t) <= 16) {
                continue; // a small anonymous constant of the graph, not a weight
            } else {
                name = t.getName();
            }
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new CheckpointException(where + ": tensor " + name + " holds " + v[i] + " at index " + i);
                }
            }
            out.put(name, Tensor.of(v, shape));
        }
        return Set.copyOf(renamed.values());
    }

    /** The BERT config the weights and the graph imply; every missing piece is named. */
    private static AlbertConfig config(String where, Graph graph, Map<String, Tensor> t) throws IOException {
        String prefix = t.containsKey("bert.embeddings.word_embeddings.weight") ? "bert." : "";
        List<String> missing = new ArrayList<>();
        int[] word = shapeOf(t, prefix + "embeddings.word_embeddings.weight", missing);
        int[] position = shapeOf(t, prefix + "embeddings.position_embeddings.weight", missing);
        int[] types = shapeOf(t, prefix + "embeddings.token_type_embeddings.weight", missing);
        TreeSet<Integer> layers = new TreeSet<>();
        for (String name : t.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.matches()) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        if (layers.isEmpty()) {
            missing.add(prefix + "encoder.layer.0.*");
        }
        int[] ffn = shapeOf(t, prefix + "encoder.layer.0.intermediate.dense.bias", missing);
        for (int layer : layers) {
            for (String part : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense", "intermediate.dense", "output.dense")) {
                shapeOf(t, prefix + "encoder.layer." + layer + "." + part + ".weight", missing);
                shapeOf(t, prefix + "encoder.layer." + layer + "." + part + ".bias", missing);
            }
        }
        Integer headSize = attentionHeadSize(graph);
        if (headSize == null) {
            missing.add("the attention scale (scores Q K^T divided by sqrt(head size)), which gives the head count");
        }
        Activation act = graph.count("Erf") > 0 ? Activation.GELU_EXACT : graph.count("Tanh") > 0 ? Activation.GELU_TANH
                : graph.count("Relu") > 0 ? Activation.RELU : null;
        if (act == null) {
            missing.add("the feed-forward activation (no Erf, Tanh or Relu node)");
        }
        Float eps = layerNormEpsilon(graph);
        if (eps == null) {
            missing.add("the LayerNorm epsilon (no constant added to a variance before Sqrt, no LayerNormalization)");
        }
        if (!missing.isEmpty()) {
            throw new CheckpointException(where + ": not a BERT encoder of the expected shape; missing: " + missing);
        }
        int hidden = word[1];
        if (hidden % headSize != 0) {
            throw new CheckpointException(where + ": hidden size " + hidden + " is not a multiple of the head size "
                    + headSize + " read from the attention scale");
        }
        int count = layers.last() + 1;
        if (layers.size() != count) {
            throw new CheckpointException(where + ": layers " + layers + " are not numbered 0.." + (count - 1));
        }
        return new AlbertConfig(word[0], hidden, hidden, count, hidden / headSize, ffn[0], position[0], types[0],
                act.configName(), eps, 0.02f, 0f, 0f, count);
    }

    private static int[] shapeOf(Map<String, Tensor> t, String name, List<String> missing) {
        Tensor x = t.get(name);
        if (x == null) {
            missing.add(name);
            return new int[]{0, 0};
        }
        return x.shape();
    }

    /**
     * The head size d from the first attention score scaling: a Div by sqrt(d) (or Mul by 1/sqrt(d)) applied to the
     * product of two activations (Q and K^T, neither a weight).
     */
    private static Integer attentionHeadSize(Graph g) {
        for (NodeProto n : g.nodes) {
            boolean div = n.getOpType().equals("Div");
            if (!div && !n.getOpType().equals("Mul") || n.getInputCount() != 2) {
                continue;
            }
            NodeProto p = g.producer.get(n.getInput(0));
            if (p == null || !p.getOpType().equals("MatMul") || g.isWeight(p.getInput(0)) || g.isWeight(p.getInput(1))) {
                continue;
            }
            Float c = g.scalar(n.getInput(1));
            if (c == null || !(c > 0)) {
                continue;
            }
            double d = div ? (double) c * c : 1.0 / ((double) c * c);
            long rounded = Math.round(d);
            if (rounded >= 1 && Math.abs(d - rounded) < 1e-3 * rounded) {
                return (int) rounded;
            }
        }
        return null;
    }

    private static Float layerNormEpsilon(Graph g) {
        for (NodeProto n : g.nodes) {
            if (n.getOpType().equals("LayerNormalization")) {
                for (AttributeProto a : n.getAttributeList()) {
                    if (a.getName().equals("epsilon")) {
                        return a.getF();
                    }
                }
                return 1e-5f; // the operator's default
            }
            if (n.getOpType().equals("Sqrt")) {
                NodeProto add = g.producer.get(n.getInput(0));
                if (add != null && add.getOpType().equals("Add") && add.getInputCount() == 2) {
                    NodeProto mean = g.producer.get(add.getInput(0));
                    Float c = g.scalar(add.getInput(1));
                    if (c != null && mean != null && mean.getOpType().equals("ReduceMean")) {
                        return c;
                    }
                }
            }
        }
        return null;
    }

    private static long elements(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return n;
    }

    private static int[] shape(String where, TensorProto t) throws IOException {
        int[] s = new int[t.getDimsCount()];
        for (int i = 0; i < s.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new CheckpointException(where + ": tensor " + t.getName() + " has dimension " + d);
            }
            s[i] = (int) d;
        }
        return s;
    }

    /** A float tensor's values, from raw_data (little-endian, as ONNX specifies) or float_data. */
    private static float[] values(TensorProto t) {
        if (!t.getRawData().isEmpty()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[b.remaining() / 4];
            b.asFloatBuffer().get(v);
            return v;
        }
        float[] v = new float[t.getFloatDataCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.getFloatData(i);
        }
        return v;
    }
}
