package io.gradus.bench;

import io.gradus.optim.OptimizerCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

import static org.junit.jupiter.api.Assertions.*;

/** The benchmark measures every algorithm of the catalog, and each from-scratch update is the book's rule. */
class OptimizerBenchTest {

    @Test
    void theBenchmarksAlgorithmsAreTheCatalog() throws NoSuchFieldException {
        Param param = OptimizerBench.class.getField("algorithm").getAnnotation(Param.class);
        List<String> catalog = OptimizerCatalog.entries().stream().map(OptimizerCatalog.Entry::name).toList();
        assertEquals(catalog, List.of(param.value()), "OptimizerBench's @Param list must name every catalog entry");
        for (String name : catalog) {
            assertNotNull(OptimizerBench.scratch(name), name);
            assertTrue(OptimizerBench.bytesPerParameter(name) >= 12, name);
        }
    }
}
