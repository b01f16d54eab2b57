package cn.clinicaltext.workbench.checkpoint;

import java.io.IOException;

/** A checkpoint that cannot be read: truncated, corrupted, a shard missing, or not what the model needs. */
public final class CheckpointException extends IOException {
    public CheckpointException(String message) {
        super(message);
    }
}
