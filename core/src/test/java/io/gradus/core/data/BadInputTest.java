package io.gradus.core.data;

import io.gradus.core.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/** The reliability issue's probes on core's readers and tensors: each gives a named error, none a silent result. */
class BadInputTest {

    @TempDir
    Path tmp;

    static long allocatedByThisThread() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return bean.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    /** A 49-byte gzip whose header claims 2e9 items and whose trailer claims as much: the reader must not believe them. */
    @Test
    void aForgedIdxHeaderCannotMakeTheReaderAllocateWhatTheFileDoesNotHold() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000801);
        out.writeInt(2_000_000_000);
        out.write(new byte[20]);
        Path file = tmp.resolve("forged.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(file))) {
            gz.write(bytes.toByteArray());
        }
        byte[] raw = Files.readAllBytes(file);
        // forge ISIZE, the trailer's uncompressed size, to 2e9 + 8
        long claimed = 2_000_000_008L;
        for (int i = 0; i < 4; i++) raw[raw.length - 4 + i] = (byte) (claimed >>> (8 * i));
        Files.write(file, raw);
        long before = allocatedByThisThread();
        var e = assertThrows(IOException.class, () -> IdxFile.read(file, 1));
        long allocated = allocatedByThisThread() - before;
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(allocated < 16L << 20, "allocated " + allocated + " bytes for a " + raw.length + "-byte file");
    }

    @Test
    void aGzipCorruptedInTheMiddleNamesTheFile() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000801);
        out.writeInt(5000);
        for (int i = 0; i < 5000; i++) out.writeByte(i * 31);
        Path file = tmp.resolve("corrupt.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(file))) {
            gz.write(bytes.toByteArray());
        }
        byte[] raw = Files.readAllBytes(file);
        for (int i = raw.length / 2; i < raw.length / 2 + 8; i++) raw[i] ^= (byte) 0x5A;
        Files.write(file, raw);
        var e = assertThrows(IOException.class, () -> IdxFile.read(file, 1));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    }

    Path airfoil(String... rows) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String r : rows) sb.append(r).append('\n');
        for (int i = 0; i < 4; i++) sb.append(i + 1).append("\t2\t3\t4\t5\t").append(i).append('\n');
        Path file = tmp.resolve("airfoil.dat");
        Files.writeString(file, sb.toString());
        return file;
    }

    @Test
    void theAirfoilParserRefusesNonFiniteValuesAndConstantColumns() throws IOException {
        Path nan = airfoil("1\t2\tNaN\t4\t5\t6");
        var e = assertThrows(IOException.class, () -> Airfoil.parse(nan, 3));
        assertEquals(nan + ": line 1, column 3: 'NaN' is not a finite number (NaN, infinite, or out of double's range)", e.getMessage());
        Path huge = airfoil("1\t2\t3\t1e400\t5\t6");
        e = assertThrows(IOException.class, () -> Airfoil.parse(huge, 3));
        assertEquals(huge + ": line 1, column 4: '1e400' is not a finite number (NaN, infinite, or out of double's range)", e.getMessage());
        Path constant = airfoil("1\t2\t3\t4\t5\t6");
        e = assertThrows(IOException.class, () -> Airfoil.parse(constant, 3));
        assertEquals(constant + ": column 2 has the same value 2.0 in every row: a constant column cannot be whitened "
                + "(its standard deviation is 0)", e.getMessage());
    }

    @Test
    void aTensorTooLargeForOneArrayNamesItsShape() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(100_000, 100_000));
        assertEquals("shape [100000, 100000] has more than 2147483631 elements: a tensor is one float[], expected at most that many",
                e.getMessage());
        long heap = Runtime.getRuntime().maxMemory();
        if (heap < 7_000_000_000L) { // 50000 x 40000 floats are 8 GB: more than this JVM's heap
            var oom = assertThrows(OutOfMemoryError.class, () -> Tensor.zeros(50_000, 40_000));
            assertTrue(oom.getMessage().startsWith("tensor of shape [50000, 40000]: 2000000000 floats (7629 MiB) do not fit in the Java heap"),
                    oom.getMessage());
        }
    }
}
