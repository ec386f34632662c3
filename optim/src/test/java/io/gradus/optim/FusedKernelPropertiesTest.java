package io.gradus.optim;

import io.gradus.optim.algorithms.Algorithm;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property-based tests of the fused optimizer kernels (reliability issue): for every variant of the
 * catalog, random lengths (0 to 5,000), offsets (0 to 40), learning rates, gradient scales and
 * clipping drawn from one seeded generator; the scalar kernel follows the double-precision
 * reference and the vector kernel equals the scalar one bit for bit, as the fixed cases of
 * {@link OptimizerCatalogTest} require. The seed is printed in every failure message's case name;
 * {@code -Dgradus.properties.seed=S} replays another draw, {@code -Dgradus.properties.cases=N} draws more.
 */
class FusedKernelPropertiesTest {

    static final long SEED = Long.getLong("gradus.properties.seed", 20261130L);
    static final int CASES = Integer.getInteger("gradus.properties.cases", 12);

    @TestFactory
    List<DynamicTest> randomLengthsOffsetsAndSteps() {
        SplittableRandom r = new SplittableRandom(SEED);
        List<DynamicTest> tests = new ArrayList<>();
        for (Algorithm a : OptimizerCatalogTest.variants()) {
            for (int c = 0; c < CASES; c++) {
                int n = r.nextInt(4) == 0 ? r.nextInt(40) : r.nextInt(5001);
                int off = r.nextInt(41);
                double lr = Math.pow(10, -4 + 3 * r.nextDouble());
                double scale = r.nextBoolean() ? 1 : 1.0 / (1 + r.nextInt(256));
                double clip = r.nextInt(3) == 0 ? 0.05 + r.nextDouble() : 0;
                Step kind = new Step(1, lr, scale, clip);
                long seed = r.nextLong();
                String name = a + " n=" + n + " off=" + off + " lr=" + lr + " scale=" + scale + " clip=" + clip + " seed=" + SEED;
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    OptimizerCatalogTest.againstReference(a, kind, off, n, seed);
                    OptimizerCatalogTest.vectorMatchesScalar(a, kind, off, n, seed);
                }));
            }
        }
        return tests;
    }
}
