package io.gradus.core.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes {@link IdxFile#read} (reliability issue): whatever the bytes, plain or gzip, the reader
 * returns a file whose data matches its header, or throws an {@link IOException} that names the
 * file; it never throws anything else, and it never allocates more than the bytes it can really
 * read justify (libFuzzer's inputs are at most 4 KiB; gzip expands by at most 1032:1, so the data
 * behind one input is at most about 4 MiB, read in 1 MiB chunks).
 *
 * <p>{@code mvn test} replays the seeds in {@code IdxFileFuzzTestInputs/}; the {@code fuzz-idx}
 * Surefire execution fuzzes for {@code gradus.fuzz.duration} with {@code JAZZER_FUZZ=1}.
 */
class IdxFileFuzzTest {

    /** Four bytes of magic at most expand by 1032 each through gzip, plus the 1 MiB chunk, twice for copies. */
    static long allocationBound(int inputLength) {
        return 2L * ((1L << 20) + 1032L * inputLength) + (4L << 20);
    }

    static final Path DIR = FuzzFiles.freshDirectory("gradus-idx-fuzz");

    @FuzzTest
    void readsOrNamesTheFile(byte[] input) throws IOException {
        if (input.length == 0) return;
        int expectedDims = 1 + (input[0] & 3);
        Path file = DIR.resolve("input.idx");
        Files.write(file, java.util.Arrays.copyOfRange(input, 1, input.length));
        readAndCheck(file, expectedDims); // first: classes this input's path needs are loaded, not counted
        long before = BadInputTest.allocatedByThisThread();
        readAndCheck(file, expectedDims);
        long allocated = BadInputTest.allocatedByThisThread() - before;
        assertTrue(allocated <= allocationBound(input.length),
                "allocated " + allocated + " bytes for a " + input.length + "-byte input");
    }

    private static void readAndCheck(Path file, int expectedDims) {
        try {
            IdxFile idx = IdxFile.read(file, expectedDims);
            assertEquals(expectedDims, idx.dims().length);
            long count = 1;
            for (int d : idx.dims()) {
                assertTrue(d >= 0, "negative dimension accepted");
                count *= d;
            }
            assertEquals(count, idx.data().length, "data length is the product of the dimensions");
        } catch (IOException e) {
            assertNotNull(e.getMessage(), "an IOException without a message");
            assertTrue(e.getMessage().startsWith(file + ": "), "does not name the file: " + e.getMessage());
        }
    }
}
