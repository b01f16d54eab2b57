package cn.clinicaltext.workbench.samediff;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.util.Arrays;
import java.util.Map;

/**
 * What a Deeplearning4j user runs on an exported graph, with nothing of the workbench: load, feed the three named
 * inputs, read "probabilities". Arguments: the graph file, the batch size, then batch rows of comma-separated token
 * ids (padded with 0). Prints the probabilities, one row a line.
 */
public final class ExportedGraphProbe {
    public static void main(String[] args) {
        SameDiff sd = SameDiff.load(new File(args[0]), false);
        int batch = Integer.parseInt(args[1]);
        int[][] ids = new int[batch][];
        for (int b = 0; b < batch; b++) {
            ids[b] = Arrays.stream(args[2 + b].split(",")).mapToInt(Integer::parseInt).toArray();
        }
        int len = ids[0].length;
        float[][] mask = new float[batch][len];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < len; t++) {
                mask[b][t] = ids[b][t] == 0 ? 0f : 1f;
            }
        }
        Map<String, INDArray> out = sd.output(Map.of(
                "input_ids", Nd4j.createFromArray(ids),
                "segment_ids", Nd4j.zeros(DataType.INT, batch, len),
                "attention_mask", Nd4j.createFromArray(mask)), "probabilities");
        INDArray p = out.get("probabilities");
        for (int b = 0; b < batch; b++) {
            StringBuilder row = new StringBuilder();
            for (int c = 0; c < p.size(1); c++) {
                row.append(c == 0 ? "" : " ").append(p.getFloat(b, c));
            }
            System.out.println("probabilities " + row);
        }
    }
}
