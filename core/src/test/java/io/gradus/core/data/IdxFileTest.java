package io.gradus.core.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/** IDX files the test writes: valid, truncated, wrong magic, wrong counts; plain and gzip. */
class IdxFileTest {

    @TempDir
    Path tmp;

    static byte[] idx(int magic, int[] dims, int dataBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) out.writeInt(d);
        for (int i = 0; i < dataBytes; i++) out.writeByte(i * 7);
        return bytes.toByteArray();
    }

    Path write(String name, byte[] content, boolean gzip) throws IOException {
        Path p = tmp.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(content);
        }
        return p;
    }

    @Test
    void readsPlainAndGzipFiles() throws IOException {
        byte[] content = idx(0x00000803, new int[] {2, 3, 4}, 24);
        for (boolean gzip : new boolean[] {false, true}) {
            IdxFile f = IdxFile.read(write("ok" + gzip, content, gzip), 3);
            assertArrayEquals(new int[] {2, 3, 4}, f.dims());
            assertEquals(24, f.data().length);
            assertEquals((byte) (23 * 7), f.data()[23]);
        }
    }

    @Test
    void truncatedDataIsReportedWithTheFileName() throws IOException {
        byte[] content = idx(0x00000803, new int[] {2, 3, 4}, 24);
        byte[] cut = java.util.Arrays.copyOf(content, content.length - 5);
        Path plain = write("cut", cut, false);
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(plain, 3));
        assertTrue(e.getMessage().startsWith(plain + ": header claims [2, 3, 4] = 24 bytes of data, but the file holds only 19"),
                e.getMessage());
        Path gz = write("cut.gz", cut, true);
        e = assertThrows(IOException.class, () -> IdxFile.read(gz, 3));
        assertTrue(e.getMessage().startsWith(gz + ": header claims"), e.getMessage());
        Path header = write("header", java.util.Arrays.copyOf(content, 6), false);
        e = assertThrows(IOException.class, () -> IdxFile.read(header, 3));
        assertEquals(header + ": truncated: ended inside the header, reading the size of dimension 0", e.getMessage());
    }

    @Test
    void wrongMagicIsRefused() throws IOException {
        Path p = write("magic", idx(0x00000d03, new int[] {1, 1, 1}, 1), false);
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(p, 3));
        assertEquals(p + ": magic number 0x00000d03 is not an IDX file of 3-dimensional unsigned bytes (expected 0x00000803)",
                e.getMessage());
        Path labels = write("labels", idx(0x00000801, new int[] {3}, 3), false);
        assertThrows(IOException.class, () -> IdxFile.read(labels, 3), "a label file is not an image file");
    }

    @Test
    void aHugeClaimIsRefusedBeforeAllocating() throws IOException {
        // 60000 x 28 x 28 claimed, 10 bytes present: refused from the sizes alone.
        Path p = write("huge.gz", idx(0x00000803, new int[] {60000, 28, 28}, 10), true);
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(p, 3));
        assertTrue(e.getMessage().contains("47040000 bytes of data, but the file holds only 10"), e.getMessage());
        Path negative = write("neg", idx(0x00000801, new int[] {-5}, 0), false);
        e = assertThrows(IOException.class, () -> IdxFile.read(negative, 1));
        assertEquals(negative + ": dimension 0 has negative size -5", e.getMessage());
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        byte[] content = idx(0x00000801, new int[] {3}, 5);
        Path p = write("long", content, false);
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(p, 1));
        assertEquals(p + ": more bytes follow the 3 bytes of data its header [3] describes", e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("fm"));
        write("fm/t10k-images-idx3-ubyte.gz", idx(0x00000803, new int[] {2, 28, 28}, 2 * 28 * 28), true);
        write("fm/t10k-labels-idx1-ubyte.gz", idx(0x00000801, new int[] {3}, 3), true);
        DataHub hub = new DataHub(java.util.List.of(dir), tmp.resolve("cache"), false);
        IOException e = assertThrows(IOException.class, () -> FashionMnist.test(hub));
        assertTrue(e.getMessage().endsWith("holds 3 labels but " + dir.resolve("t10k-images-idx3-ubyte.gz") + " holds 2 images"),
                e.getMessage());
    }
}
