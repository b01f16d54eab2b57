package cn.clinicaltext.workbench.model;

import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The pool keeps the sizes used most recently: training's sizes give way to inference's, and back. */
class BufferPoolTest {
    /** Room for two buffers of 100 floats and a half. */
    private static final long LIMIT_BYTES = 1000;

    @Test
    void reusesABufferOfTheSameSize() {
        BufferPool pool = new BufferPool(LIMIT_BYTES);
        FloatPointer a = pool.take(100);
        pool.give(a, 100);
        assertSame(a, pool.take(100));
        assertEquals(0, pool.pooledBytes());
        pool.give(a, 100);
    }

    @Test
    void aFullPoolMakesRoomForANewSizeByFreeingTheOldest() {
        BufferPool pool = new BufferPool(LIMIT_BYTES);
        FloatPointer a1 = pool.take(100);
        FloatPointer a2 = pool.take(100);
        pool.give(a1, 100);
        pool.give(a2, 100);
        assertEquals(800, pool.pooledBytes());
        FloatPointer b = new FloatPointer(120);
        pool.give(b, 120);
        assertEquals(1, pool.pooledCount(100), "one buffer of the old size freed for the new one");
        assertEquals(4 * (100 + 120), pool.pooledBytes());
        assertSame(b, pool.take(120));
    }

    @Test
    void theSizeUsedLongestAgoGoesFirst() {
        BufferPool pool = new BufferPool(LIMIT_BYTES);
        pool.give(new FloatPointer(100), 100);
        pool.give(new FloatPointer(90), 90);
        pool.give(pool.take(100), 100);          // 100 is now more recent than 90
        pool.give(new FloatPointer(80), 80);
        assertEquals(1, pool.pooledCount(100), "used recently: kept");
        assertEquals(0, pool.pooledCount(90), "used longest ago: freed");
        assertEquals(1, pool.pooledCount(80));
        assertEquals(4 * (100 + 80), pool.pooledBytes());
    }

    @Test
    void aBufferOverTheLimitIsFreedNotKept() {
        BufferPool pool = new BufferPool(LIMIT_BYTES);
        pool.give(new FloatPointer(100), 100);
        pool.give(new FloatPointer(300), 300);
        assertEquals(0, pool.pooledCount(300));
        assertEquals(1, pool.pooledCount(100), "nothing evicted for a buffer that cannot be kept");
        assertEquals(400, pool.pooledBytes());
    }
}
