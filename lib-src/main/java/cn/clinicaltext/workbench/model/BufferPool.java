package cn.clinicaltext.workbench.model;

import org.bytedeco.javacpp.FloatPointer;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;

/**
 * Freed native buffers by size (floats), handed out again to later tensors of that size: each training step
 * allocates the same shapes, and fresh native memory costs page faults (measured: a 40 MB tensor's first write took
 * as long as its matrix product).
 * <p>
 * At most {@code limitBytes} are kept. Sizes are kept in order of last use, so that when the pool is full the sizes
 * asked for longest ago make room for the newest. The first version kept whatever filled it first: after 8 training
 * steps of bge-small-zh at batch 32 x 128 the pool was full of training sizes, and inference at batch 64 x 128 (a
 * validation pass, a teacher's pass) ran on fresh memory at 30-36 sequences/s against 45-47 with this order
 * (2026-12-05, 2 cores, the two versions alternated twice).
 */
final class BufferPool {
    private final long limitBytes;
    /** Size in floats -> free buffers of that size; iteration order = least recently used first. */
    private final LinkedHashMap<Long, ArrayDeque<FloatPointer>> free = new LinkedHashMap<>(16, 0.75f, true);
    private long pooledBytes;

    BufferPool(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /** A buffer of {@code n} floats: a pooled one of that size, else newly allocated (contents undefined). */
    synchronized FloatPointer take(long n) {
        ArrayDeque<FloatPointer> buffers = free.get(n);
        if (buffers != null && !buffers.isEmpty()) {
            pooledBytes -= n * 4;
            return buffers.pop();
        }
        try {
            return new FloatPointer(n);
        } catch (OutOfMemoryError e) {
            // JavaCPP's limit (-Dorg.bytedeco.javacpp.maxbytes) reached: the pool's buffers of other sizes go first
            // (with dynamic padding every batch length has its own sizes; a bge-small fine-tuning at batch 32 x 128
            // filled the 1 GB pool with sizes never asked for again and hit the 2 GB limit at step 14)
            if (pooledBytes == 0) {
                throw e;
            }
            evictLeastRecentlyUsed(0);
            return new FloatPointer(n);
        }
    }

    /** Takes back a buffer of {@code n} floats for reuse, or frees it when it alone is over the limit. */
    synchronized void give(FloatPointer p, long n) {
        long bytes = n * 4;
        if (bytes > limitBytes) {
            p.deallocate();
            return;
        }
        ArrayDeque<FloatPointer> own = free.computeIfAbsent(n, k -> new ArrayDeque<>());
        evictLeastRecentlyUsed(limitBytes - bytes);
        own.push(p);
        pooledBytes += bytes;
    }

    /** Native bytes kept for reuse. */
    synchronized long pooledBytes() {
        return pooledBytes;
    }

    /** Number of pooled buffers of {@code n} floats (without counting as a use of that size). */
    synchronized int pooledCount(long n) {
        for (var entry : free.entrySet()) {
            if (entry.getKey() == n) {
                return entry.getValue().size();
            }
        }
        return 0;
    }

    /**
     * Frees pooled buffers, the sizes used longest ago first, until at most {@code keepBytes} remain. A size just
     * given back is the most recent (access order), so its own buffers go last, and its (possibly empty) entry
     * stays for the caller to push into.
     */
    private void evictLeastRecentlyUsed(long keepBytes) {
        var sizes = free.entrySet().iterator();
        while (pooledBytes > keepBytes && sizes.hasNext()) {
            var entry = sizes.next();
            ArrayDeque<FloatPointer> buffers = entry.getValue();
            while (pooledBytes > keepBytes && !buffers.isEmpty()) {
                buffers.pop().deallocate();
                pooledBytes -= entry.getKey() * 4;
            }
            if (buffers.isEmpty() && sizes.hasNext()) {
                sizes.remove();
            }
        }
    }
}
