package io.gradus.optim;

import io.gradus.core.nn.Parameter;
import io.gradus.core.tensor.Tensor;
import io.gradus.optim.schedule.Schedules;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fault injection for checkpoints (reliability issue): a save that fails at any of its writes, a
 * disk that fills up mid-save, and a process killed with SIGKILL while saving all leave the
 * previous checkpoint readable and unchanged; failed saves leave no temporary file, and the next
 * save removes what a killed one left.
 */
class CheckpointFaultTest {

    @TempDir
    Path tmp;

    /** Adam on 120,000 parameters: a 1.4 MB checkpoint, written in 23 chunks of 64 KiB. */
    static Trainer bigTrainer(long seed) {
        return bigTrainer(seed, 300);
    }

    /** ... on {@code rows} x 400 parameters. */
    static Trainer bigTrainer(long seed, int rows) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        named.put("w", new Parameter("w", Tensor.normal(seed, 0, 1, rows, 400)));
        return new Trainer(Params.of(named), Optimizers.adam(), Schedules.squareRoot(0.01));
    }

    /** One step with a fixed gradient, so that values and Adam's state differ from before. */
    static void step(Trainer t, long seed) {
        Random r = new Random(seed);
        float[] g = t.params().grads();
        for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
        t.step(1);
    }

    @AfterEach
    void restoreChannels() {
        Checkpoint.channels = DEFAULT;
    }

    static final Checkpoint.ChannelOpener DEFAULT = Checkpoint.channels;

    List<String> temporaryFiles() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(Checkpoint.TEMP_SUFFIX)).toList();
        }
    }

    /** The saved values, read back into a fresh trainer. */
    static float[] loadValues(Path file) throws IOException {
        return loadValues(file, 300);
    }

    static float[] loadValues(Path file, int rows) throws IOException {
        Trainer fresh = bigTrainer(99, rows);
        Checkpoint.load(file, fresh);
        return fresh.state().parameters();
    }

    @Test
    void aSaveFailingAtAnyWriteOrAtTheFlushLeavesThePreviousCheckpoint() throws IOException {
        Path file = tmp.resolve("run.ckpt");
        Trainer t = bigTrainer(1);
        step(t, 2);
        Checkpoint.save(file, t, null);
        float[] saved = t.state().parameters().clone();
        step(t, 3);
        int chunks = (int) Math.ceil(Files.size(file) / (double) Checkpoint.WRITE_CHUNK);
        assertTrue(chunks >= 20, chunks + " chunks");
        for (int failAt = 1; failAt <= chunks + 1; failAt++) { // chunks + 1: the force() after the last write
            int at = failAt;
            Checkpoint.channels = p -> new FailingChannel(DEFAULT.open(p), at, Long.MAX_VALUE);
            var e = assertThrows(IOException.class, () -> Checkpoint.save(file, t, null), "failing at write " + at);
            assertTrue(e.getMessage().startsWith(file + ": cannot be written"), e.getMessage());
            assertTrue(e.getMessage().contains("injected"), e.getMessage());
            assertArrayEquals(saved, loadValues(file), "write " + at + ": the previous checkpoint changed");
            assertEquals(List.of(), temporaryFiles(), "write " + at + ": a temporary file was left");
        }
        Checkpoint.channels = DEFAULT;
        Checkpoint.save(file, t, null);
        assertArrayEquals(t.state().parameters(), loadValues(file), "a good save after the failed ones");
    }

    @Test
    void aFullDiskGivesAClearErrorAndKeepsTheOldFile() throws IOException {
        Path file = tmp.resolve("run.ckpt");
        Trainer t = bigTrainer(1);
        Checkpoint.save(file, t, null);
        float[] saved = t.state().parameters().clone();
        step(t, 4);
        // A disk with 300,000 bytes free: the 1.4 MB save gets part of a chunk written, then ENOSPC.
        Checkpoint.channels = p -> new FailingChannel(DEFAULT.open(p), Integer.MAX_VALUE, 300_000);
        var e = assertThrows(IOException.class, () -> Checkpoint.save(file, t, null));
        assertTrue(e.getMessage().startsWith(file + ": cannot be written"), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the previous checkpoint, if any, is unchanged"), e.getMessage());
        assertArrayEquals(saved, loadValues(file));
        assertEquals(List.of(), temporaryFiles());
    }

    /**
     * A real full disk: a 2 MiB tmpfs holds one 1.4 MB checkpoint, not a second one beside it. Needs
     * root (mount); under CI, which runs as root, it must run; elsewhere without root the failing
     * channel above stands in for it.
     */
    @Test
    void aFullTmpfsGivesAClearErrorAndKeepsTheOldFile() throws Exception {
        Path mount = tmp.resolve("small-disk");
        Files.createDirectories(mount);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString()).redirectErrorStream(true).start();
        String why = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() != 0) {
            assertNull(System.getenv("CI"), "CI runs as root and must mount a tmpfs: " + why);
            aFullDiskGivesAClearErrorAndKeepsTheOldFile(); // the simulated full disk instead
            return;
        }
        try {
            Path file = mount.resolve("run.ckpt");
            Trainer t = bigTrainer(1);
            Checkpoint.save(file, t, null);
            float[] saved = t.state().parameters().clone();
            step(t, 4);
            var e = assertThrows(IOException.class, () -> Checkpoint.save(file, t, null));
            assertTrue(e.getMessage().startsWith(file + ": cannot be written"), e.getMessage());
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertArrayEquals(saved, loadValues(file));
            try (Stream<Path> files = Files.list(mount)) {
                assertEquals(List.of(file), files.toList(), "only the old checkpoint on the full disk");
            }
        } finally {
            new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void aProcessKilledWhileSavingLeavesTheLastCompleteCheckpoint() throws Exception {
        Path file = tmp.resolve("run.ckpt");
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Random r = new Random(5);
        int leftoversSeen = 0;
        int kills = 0;
        // At least three kills, and on until one has landed while the temporary file existed (at most 16).
        while (kills < 3 || (leftoversSeen == 0 && kills < 16)) {
            kills++;
            Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), SavingForever.class.getName(), file.toString())
                    .redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                List<String> lines = new ArrayList<>();
                long oneWrite = -1;
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                    // the child times its own writes: this side may read several lines at once
                    if (line.startsWith("saved 3 ")) oneWrite = Long.parseLong(line.substring("saved 3 ".length()));
                    if (line.equals("writing 4")) break;
                }
                assertTrue(oneWrite >= 0 && lines.getLast().equals("writing 4"), "the child did not save: " + lines);
                // The fourth save has just created its temporary file (the child says so as it opens it):
                // kill within the first half of the time the third took from there to the rename, so that
                // the kill lands while the file is written or forced (a save is mostly serializing, then a
                // short write: timing the whole save instead missed the write too often).
                TimeUnit.NANOSECONDS.sleep((long) (oneWrite * 0.5 * r.nextDouble()));
                child.destroyForcibly(); // SIGKILL on Linux: no finally block, no shutdown hook runs
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            leftoversSeen += temporaryFiles().size();
            float[] values = loadValues(file, CHILD_ROWS); // complete and checksummed: the third save or a later one
            assertEquals(CHILD_ROWS * 400, values.length);
        }
        assertTrue(leftoversSeen > 0, "no kill landed inside a save: the test did not test what it says");
        System.out.println("SIGKILL during saves: " + leftoversSeen + " temporary file(s) left by " + kills + " kills");
        // The next save removes what the killed ones left behind.
        Checkpoint.save(file, bigTrainer(7, CHILD_ROWS), null);
        assertEquals(List.of(), temporaryFiles(), "after a save, " + leftoversSeen + " leftovers seen before");
    }

    /** The child's model: 2.4 M parameters, a 29 MB Adam checkpoint that takes tens of milliseconds to write. */
    static final int CHILD_ROWS = 6000;

    /** The child of the SIGKILL test: saves a changing checkpoint over and over, saying when each opens its temporary file. */
    public static final class SavingForever {
        public static void main(String[] args) throws IOException {
            Path file = Path.of(args[0]);
            Trainer t = bigTrainer(1, CHILD_ROWS);
            long[] opened = new long[2]; // {save number, when its temporary file was opened}
            Checkpoint.channels = tmp -> {
                opened[1] = System.nanoTime();
                System.out.println("writing " + opened[0]);
                System.out.flush();
                return FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            };
            for (int i = 1; ; i++) {
                step(t, i);
                opened[0] = i;
                Checkpoint.save(file, t, null);
                System.out.println("saved " + i + " " + (System.nanoTime() - opened[1])); // from the open to the rename
                System.out.flush();
            }
        }
    }

    /**
     * A FileChannel that fails: at its {@code failAtWrite}-th write (or at the force after them), or
     * once {@code freeBytes} have been written (partly writing the chunk that crosses the limit, as a
     * full disk does).
     */
    static final class FailingChannel extends FileChannel {
        private final FileChannel inner;
        private final int failAtWrite;
        private long freeBytes;
        private int writes;

        FailingChannel(FileChannel inner, int failAtWrite, long freeBytes) {
            this.inner = inner;
            this.failAtWrite = failAtWrite;
            this.freeBytes = freeBytes;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (++writes == failAtWrite) throw new IOException("injected I/O error at write " + writes);
            if (freeBytes == 0) throw new IOException("No space left on device");
            if (src.remaining() > freeBytes) {
                ByteBuffer part = src.slice(src.position(), (int) freeBytes);
                int n = inner.write(part);
                src.position(src.position() + n);
                freeBytes = 0;
                return n;
            }
            int n = inner.write(src);
            freeBytes -= n;
            return n;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (writes + 1 == failAtWrite) throw new IOException("injected I/O error at the flush");
            inner.force(metaData);
        }

        @Override protected void implCloseChannel() throws IOException { inner.close(); }
        @Override public int read(ByteBuffer dst) throws IOException { return inner.read(dst); }
        @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException { return inner.read(dsts, offset, length); }
        @Override public long write(ByteBuffer[] srcs, int offset, int length) { throw new UnsupportedOperationException("gathering write"); }
        @Override public long position() throws IOException { return inner.position(); }
        @Override public FileChannel position(long p) throws IOException { inner.position(p); return this; }
        @Override public long size() throws IOException { return inner.size(); }
        @Override public FileChannel truncate(long size) throws IOException { inner.truncate(size); return this; }
        @Override public long transferTo(long position, long count, java.nio.channels.WritableByteChannel target) throws IOException { return inner.transferTo(position, count, target); }
        @Override public long transferFrom(java.nio.channels.ReadableByteChannel src, long position, long count) throws IOException { return inner.transferFrom(src, position, count); }
        @Override public int read(ByteBuffer dst, long position) throws IOException { return inner.read(dst, position); }
        @Override public int write(ByteBuffer src, long position) { throw new UnsupportedOperationException("positional write"); }
        @Override public java.nio.MappedByteBuffer map(MapMode mode, long position, long size) { throw new UnsupportedOperationException("map"); }
        @Override public java.nio.channels.FileLock lock(long position, long size, boolean shared) throws IOException { return inner.lock(position, size, shared); }
        @Override public java.nio.channels.FileLock tryLock(long position, long size, boolean shared) throws IOException { return inner.tryLock(position, size, shared); }
    }
}
