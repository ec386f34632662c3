package io.gradus.core.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the airfoil parser (reliability issue): any bytes give either whitened examples that are
 * all finite, or an {@link IOException} naming the file; never another exception and never a NaN
 * column (the failure the issue found: {@code NaN}, {@code 1e400} or a constant column made
 * whitening turn a whole feature into NaN).
 *
 * <p>The first input byte picks how many rows to keep (1 to 4), so short inputs can parse; the rest
 * is the file. Seeds in {@code AirfoilFuzzTestInputs/}.
 */
class AirfoilFuzzTest {

    static final Path DIR = FuzzFiles.freshDirectory("gradus-airfoil-fuzz");

    @FuzzTest
    void parsesToFiniteExamplesOrNamesTheFile(byte[] input) throws IOException {
        if (input.length == 0) return;
        int keep = 1 + (input[0] & 3);
        Path file = DIR.resolve("airfoil.dat");
        Files.write(file, java.util.Arrays.copyOfRange(input, 1, input.length));
        ArrayDataset data;
        try {
            data = Airfoil.parse(file, keep);
        } catch (IOException e) {
            assertNotNull(e.getMessage(), "an IOException without a message");
            assertTrue(e.getMessage().startsWith(file + ": "), "does not name the file: " + e.getMessage());
            return;
        }
        assertEquals(keep, data.size());
        for (int i = 0; i < keep; i++) {
            for (int j = 0; j < data.exampleSize(); j++) {
                assertTrue(Float.isFinite(data.feature(i, j)), "whitened feature " + j + " of row " + i + " is " + data.feature(i, j));
            }
            assertTrue(Float.isFinite(data.label(i)), "whitened label of row " + i + " is " + data.label(i));
        }
    }
}
