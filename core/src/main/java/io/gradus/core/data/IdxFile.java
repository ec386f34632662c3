package io.gradus.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An IDX file (the format of MNIST and Fashion-MNIST), plain or gzip-compressed: a magic number
 * {@code 0x0000 08 D} (unsigned bytes, D dimensions), D big-endian 32-bit sizes, then the bytes
 * in row-major order. Every check fails with an {@link IOException} that names the file and
 * what was wrong (a corrupt gzip stream too). The sizes the header claims are compared with what the
 * file can hold, and the data is read in chunks of at most 1 MiB that grow only as bytes arrive: a
 * forged header or gzip trailer cannot make the reader allocate more than the file really holds
 * (plus one chunk).
 *
 * @param dims the sizes the header gives
 * @param data the {@code product(dims)} unsigned bytes
 */
public record IdxFile(int[] dims, byte[] data) {

    private static final int UNSIGNED_BYTE = 0x08;

    /** Reads and checks {@code file}; {@code expectedDims} is the number of dimensions it must have. */
    public static IdxFile read(Path file, int expectedDims) throws IOException {
        boolean gzip = isGzip(file);
        long available = gzip ? gzipUncompressedSize(file) : Files.size(file);
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16))) {
            int magic = readInt(in, file, "magic number");
            int type = (magic >>> 8) & 0xFF, ndims = magic & 0xFF;
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || ndims != expectedDims) {
                throw new IOException(file + ": magic number 0x" + String.format("%08x", magic) + " is not an IDX file of "
                        + expectedDims + "-dimensional unsigned bytes (expected 0x000008" + String.format("%02x", expectedDims) + ")");
            }
            int[] dims = new int[ndims];
            for (int d = 0; d < ndims; d++) {
                dims[d] = readInt(in, file, "size of dimension " + d);
                if (dims[d] < 0) {
                    throw new IOException(file + ": dimension " + d + " has negative size " + dims[d]);
                }
            }
            long header = 4L + 4L * ndims;
            // The product in double first: three 31-bit sizes overflow a long (found by IdxFileFuzzTest).
            double claimed = 1;
            for (int d : dims) claimed *= d;
            long count = claimed > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : product(dims);
            if (count > available - header) {
                throw new IOException(file + ": header claims " + Arrays.toString(dims) + " = "
                        + (count == Long.MAX_VALUE ? String.format("%.3g", claimed) : count) + " bytes of data, but the file holds only " + Math.max(0, available - header));
            }
            if (count > Integer.MAX_VALUE - 16) {
                throw new IOException(file + ": " + count + " bytes of data are more than one array can hold");
            }
            byte[] data = readBounded(in, (int) count, file, dims);
            if (in.read() != -1) {
                throw new IOException(file + ": more bytes follow the " + count + " bytes of data its header "
                        + Arrays.toString(dims) + " describes");
            }
            return new IdxFile(dims, data);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            // GZIPInputStream's own header and trailer reads end this way, without a message (found by IdxFileFuzzTest)
            if (e.getMessage() != null && e.getMessage().startsWith(file + ": ")) throw e;
            throw new IOException(file + ": truncated: the gzip stream ended early"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
    }

    private static long product(int[] dims) {
        long p = 1;
        for (int d : dims) p *= d;
        return p;
    }

    /** Chunk of the bounded read: the most the reader holds beyond the bytes it has actually read. */
    static final int CHUNK = 1 << 20;

    /**
     * Reads exactly {@code count} bytes into a buffer that grows by at most {@link #CHUNK} beyond what
     * has arrived: memory follows the bytes the file really has, not what its header claims.
     */
    private static byte[] readBounded(InputStream in, int count, Path file, int[] dims) throws IOException {
        byte[] data = new byte[Math.min(count, CHUNK)];
        int filled = 0;
        while (filled < count) {
            if (filled == data.length) data = Arrays.copyOf(data, (int) Math.min(count, (long) data.length + Math.max(CHUNK, data.length)));
            int n = in.read(data, filled, data.length - filled);
            if (n < 0) {
                throw new IOException(file + ": truncated: ended after " + filled + " of the " + count + " bytes of data its header "
                        + Arrays.toString(dims) + " promises");
            }
            filled += n;
        }
        return data;
    }

    private static int readInt(DataInputStream in, Path file, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IOException(file + ": truncated: ended inside the header, reading the " + what, e);
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** The uncompressed size from the gzip trailer (ISIZE, exact below 4 GiB). */
    private static long gzipUncompressedSize(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() < 18) {
                throw new IOException(file + ": truncated: too short for a gzip file (" + f.length() + " bytes)");
            }
            f.seek(f.length() - 4);
            byte[] b = new byte[4];
            f.readFully(b);
            return (b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24;
        }
    }
}
