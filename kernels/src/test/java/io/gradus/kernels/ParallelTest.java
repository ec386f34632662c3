package io.gradus.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ParallelTest {

    @Test
    void threadsProperty() {
        assertEquals(Runtime.getRuntime().availableProcessors(), Parallel.threadsFromProperty(null));
        assertEquals(3, Parallel.threadsFromProperty(" 3 "));
        var e = assertThrows(IllegalArgumentException.class, () -> Parallel.threadsFromProperty("zero"));
        assertEquals("-Dgradus.threads = 'zero': expected a whole number >= 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Parallel.threadsFromProperty("0"));
    }
}
