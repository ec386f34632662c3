package io.gradus.core.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The real airfoil file, found through {@code GRADUS_DATA} (set by .ci/run to ../shared/data) or
 * {@code -Dgradus.data}; never a path of one machine.
 */
class AirfoilTest {

    @Test
    void whitensEveryColumnOverAll1503RowsThenKeeps1500() throws Exception {
        DataHub hub = DataHub.fromEnvironment();
        Path file = hub.locate(Airfoil.FILE);
        ArrayDataset data = Airfoil.load(hub);
        assertEquals(1500, data.size());
        assertArrayEquals(new int[] {5}, data.exampleShape());

        // Independent statistics: straight from the text, in double, over all 1503 rows.
        List<double[]> rows = Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
                .filter(l -> !l.isBlank())
                .map(l -> java.util.Arrays.stream(l.trim().split("\t")).mapToDouble(Double::parseDouble).toArray())
                .toList();
        assertEquals(1503, rows.size());
        for (int j = 0; j < 6; j++) {
            final int col = j;
            double mean = rows.stream().mapToDouble(r -> r[col]).average().orElseThrow();
            double var = rows.stream().mapToDouble(r -> (r[col] - mean) * (r[col] - mean)).sum() / 1503;
            for (int i : new int[] {0, 1, 777, 1499}) {
                double want = (rows.get(i)[col] - mean) / Math.sqrt(var);
                float got = col < 5 ? data.feature(i, col) : data.label(i);
                assertEquals(want, got, 1e-6 * Math.max(1, Math.abs(want)), "row " + i + " column " + col);
            }
        }
        // The first row of the file is 800 Hz, 0 degrees, 0.3048 m, 71.3 m/s, 0.00266337 m, 126.201 dB.
        assertEquals(800.0, rows.get(0)[0]);
        assertEquals(126.201, rows.get(0)[5]);
    }
}
