package cn.clinicaltext.workbench.tokenizer;

import java.util.List;

/** A tokenized text: ids for the model and the vocabulary's tokens for those ids (both start with [CLS]). */
public record Encoding(int[] tokenIds, List<String> tokens) {
    public int length() {
        return tokenIds.length;
    }
}
