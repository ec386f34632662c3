package io.gradus.optim;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gradus.optim.schedule.BookFactorScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes {@link Checkpoint#load} (reliability issue). The checksum would turn away almost every
 * random file at the door, so the fuzzer writes the part behind it: the input is the body between
 * the header (magic, version) and the CRC-32, which the test computes. Mode byte 0 takes the body as
 * it is; mode 1 overwrites a real Adam checkpoint's body at an offset the input gives, so the fuzzer
 * starts from a file that loads. Whatever the body, loading either succeeds or throws an
 * {@link IOException} naming the file, and a failed load leaves the trainer exactly as it was
 * (values, state, counters, rate); it allocates no more than a small multiple of the file's size.
 */
class CheckpointFuzzTest {

    static final Path DIR = freshDirectory();
    static final Path FILE = DIR.resolve("fuzz.ckpt");
    /** The trainer that loads every input: Adam with the book's stateful factor schedule (its state is read too). */
    static final CheckpointTest.Run RUN = new CheckpointTest.Run(Optimizers::adam, () -> new BookFactorScheduler(0.9, 1e-3, 0.05), true);
    static final byte[] VALID = validFile();

    static Path freshDirectory() {
        try {
            return Files.createTempDirectory("gradus-checkpoint-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] validFile() {
        try {
            RUN.trainUntil(5);
            Checkpoint.save(FILE, RUN.trainer, RUN.loader.state());
            return Files.readAllBytes(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Magic and version from a real checkpoint, then {@code body}, then the CRC-32 of both. */
    static byte[] withHeaderAndChecksum(byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length + 8);
        b.put(VALID, 0, 8).put(body);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, 8 + body.length);
        b.putLong(crc.getValue());
        return b.array();
    }

    static long allocatedByThisThread() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return bean.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    @FuzzTest
    void loadsOrNamesTheFileAndChangesNothing(byte[] input) throws IOException {
        if (input.length == 0) return;
        byte[] body;
        if ((input[0] & 1) == 0) {
            body = Arrays.copyOfRange(input, 1, input.length);
        } else {
            body = Arrays.copyOfRange(VALID, 8, VALID.length - 8);
            int offset = input.length > 2 ? ((input[1] & 0xFF) << 8 | (input[2] & 0xFF)) % body.length : 0;
            for (int i = 3; i < input.length && offset + i - 3 < body.length; i++) body[offset + i - 3] = input[i];
        }
        byte[] file = withHeaderAndChecksum(body);
        Files.write(FILE, file);

        Trainer t = RUN.trainer;
        float[] values = t.state().parameters().clone();
        float[][] state = Arrays.stream(t.state().stateView()).map(float[]::clone).toArray(float[][]::new);
        long updates = t.updates(), skipped = t.skipped();
        double[] schedule = t.schedule().state();
        double rate = t.learningRate();
        try {
            Checkpoint.load(FILE, t);
            return; // a file that loads
        } catch (IOException first) {
            // refused: load it again, measured (the first time loaded the classes its error path needs)
        }
        long before = allocatedByThisThread();
        try {
            Checkpoint.load(FILE, t);
            fail("the second load of a refused file succeeded");
        } catch (IOException e) {
            long allocated = allocatedByThisThread() - before;
            assertNotNull(e.getMessage(), "an IOException without a message");
            assertTrue(e.getMessage().startsWith(FILE + ": "), "does not name the file: " + e.getMessage());
            assertArrayEquals(values, t.state().parameters(), "a failed load changed the parameters");
            for (int i = 0; i < state.length; i++) assertArrayEquals(state[i], t.state().stateView()[i], "a failed load changed state " + i);
            assertEquals(updates, t.updates());
            assertEquals(skipped, t.skipped());
            assertArrayEquals(schedule, t.schedule().state(), "a failed load changed the schedule");
            assertEquals(rate, t.learningRate());
            // the file in memory, the arrays it describes (which must fit in it), and the exception's text
            assertTrue(allocated <= 8L * file.length + (1 << 20), "allocated " + allocated + " bytes for a " + file.length + "-byte file");
        }
    }
}
