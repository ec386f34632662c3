package io.gradus.optim;

import io.gradus.core.data.DataLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.zip.CRC32;

/**
 * The whole training state in one file: the algorithm and its hyperparameters by name, the
 * parameter groups, update and skip counts, the rate override, the schedule's state (pure
 * schedules need only the count; composites save every part), the parameters, the optimizer's
 * state arrays, and the data loader's position. A run resumed from the file into freshly built
 * objects continues bit for bit as if it had never stopped.
 *
 * A checkpoint is a {@link TrainerState} (what {@link Trainer#state()} returns and
 * {@link Trainer#restore} takes) and the loader's position, written to a file; {@link #read} gives
 * them back without a Trainer.
 *
 * <p>Format (big-endian): magic {@code "GRDS"}, version 3, the fields in the order above
 * (hyperparameters as {@code name, type tag, value}; groups as {@code name, multiplier, weight
 * decay (a tag: {@code K} keeps the rule's, {@code N} none, {@code C} coupled, {@code D} decoupled;
 * then lambda), parameter names}; each state array as its name and its floats), then a CRC-32 of
 * everything before it. Version 2 (before state arrays had names and decays a kind) still loads: its
 * group decay takes the rule's kind, its state arrays match by position. Written to a temporary file and renamed, so a crash never leaves
 * half a checkpoint. Loading checks magic, version, length, checksum, algorithm, hyperparameters
 * and sizes before it changes anything: a file of another run, a truncated or a corrupt one gives
 * an {@link IOException} saying what differs, and the running state stays as it was. Every error
 * names the file. A checkpoint whose parameters hold NaN or infinity is refused: it records a run
 * that diverged, and resuming from it would only spread the NaN (the Trainer never writes a
 * non-finite gradient into the parameters, so such a file comes from elsewhere or from a schedule
 * that diverged).
 */
public final class Checkpoint {
    private Checkpoint() {}

    private static final int MAGIC = 0x47524453; // "GRDS"
    private static final int VERSION = 3;
    /** The format before state arrays were named and a group's decay had a kind (written until 2026-12-02). */
    private static final int VERSION_2 = 2;

    /** What a checkpoint holds: the Trainer's state and, when one was saved, the data loader's position. */
    public record Contents(TrainerState trainer, Optional<DataLoader.State> loader) {}

    /**
     * Saves {@code trainer}'s state (and its Params' values) with the loader's position, atomically.
     * A device Trainer's arrays are downloaded first; its file loads into a CPU Trainer and back,
     * bit for bit. A save first removes the temporary files that killed
     * saves of the same file left behind, so two saves of one file may not run at once.
     */
    public static void save(Path file, Trainer trainer, DataLoader.State loader) throws IOException {
        byte[] all = toBytes(file.toString(), trainer, loader);
        if (Files.isDirectory(file)) throw new IOException(file + ": is a directory, expected a checkpoint file name");
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            removeLeftovers(dir, file.getFileName().toString());
            tmp = Files.createTempFile(dir, file.getFileName() + ".", TEMP_SUFFIX);
            try (FileChannel channel = channels.open(tmp)) {
                for (int at = 0; at < all.length; ) at += channel.write(ByteBuffer.wrap(all, at, Math.min(WRITE_CHUNK, all.length - at)));
                channel.force(true); // on the disk before the rename makes it the checkpoint
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IOException(file + ": cannot be written (" + e + "); the previous checkpoint, if any, is unchanged", e);
        } finally {
            if (tmp != null) Files.deleteIfExists(tmp);
        }
    }

    /**
     * The checkpoint of {@code trainer} (and the loader's position, or null) as bytes, in the file
     * format {@link #save} writes: for a checkpoint kept elsewhere than a local file (a Hadoop
     * file system, an object store) or sent to another JVM, which {@link #load(byte[], String,
     * Trainer)} restores bit for bit. A device Trainer's arrays are downloaded first.
     */
    public static byte[] toBytes(Trainer trainer, DataLoader.State loader) {
        try {
            return toBytes("checkpoint", trainer, loader);
        } catch (IOException e) { // a ByteArrayOutputStream does not fail: only a hyperparameter of an unsaveable type
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] toBytes(String target, Trainer trainer, DataLoader.State loader) throws IOException {
        if (trainer.pendingBatches() != 0) {
            throw new IllegalStateException(target + ": not saved: " + trainer.pendingBatches() + " accumulated batches are pending;"
                    + " save between updates (their running gradient sum is not part of a checkpoint)");
        }
        TrainerState state = trainer.state(true); // written here and now: the CPU's arrays need no copy
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(state.algorithm());
        writeHyperparameters(out, state.hyperparameters());
        out.writeInt(state.groups().size());
        for (ParamGroup g : state.groups()) {
            out.writeUTF(g.name());
            out.writeDouble(g.lrMultiplier());
            WeightDecay decay = g.weightDecay().orElse(null);
            out.writeByte(decay == null ? 'K' : switch (decay.kind()) {
                case NONE -> 'N';
                case COUPLED -> 'C';
                case DECOUPLED -> 'D';
            });
            out.writeDouble(decay == null ? 0 : decay.lambda());
            out.writeInt(g.parameters().size());
            for (String name : g.parameters()) out.writeUTF(name);
        }
        out.writeLong(state.updates());
        out.writeLong(state.skipped());
        out.writeBoolean(state.learningRateOverride().isPresent());
        out.writeDouble(state.learningRateOverride().orElse(0));
        writeDoubles(out, state.scheduleStateView());
        writeFloats(out, state.parametersView());
        float[][] arrays = state.stateView();
        out.writeInt(arrays.length);
        for (int k = 0; k < arrays.length; k++) {
            out.writeUTF(state.stateNames().get(k));
            writeFloats(out, arrays[k]);
        }
        out.writeBoolean(loader != null);
        out.writeLong(loader == null ? 0 : loader.seed());
        out.writeInt(loader == null ? 0 : loader.epoch());
        out.writeInt(loader == null ? 0 : loader.position());
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        return bytes.toByteArray();
    }

    /** Temporary files are {@code NAME.RANDOM.tmp} beside the checkpoint, renamed over it once complete. */
    static final String TEMP_SUFFIX = ".tmp";
    /** Bytes per write call: a failing disk stops a save between two of them (tests inject faults there). */
    static final int WRITE_CHUNK = 1 << 16;

    /** Opens the temporary file for writing; tests replace it with channels that fail (a full disk, an I/O error). */
    interface ChannelOpener {
        FileChannel open(Path tmp) throws IOException;
    }

    static volatile ChannelOpener channels = tmp -> FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);

    /**
     * Deletes the temporary files of earlier saves of this checkpoint that never finished: a process
     * killed during a save (SIGKILL, power loss) cannot clean up after itself, so the next save does.
     */
    private static void removeLeftovers(Path dir, String name) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, p -> {
            String f = p.getFileName().toString();
            return f.startsWith(name + ".") && f.endsWith(TEMP_SUFFIX) && f.length() > name.length() + 1 + TEMP_SUFFIX.length();
        })) {
            for (Path p : leftovers) Files.deleteIfExists(p);
        }
    }

    /**
     * Restores {@code trainer} (and its Params) from {@code file} ({@link Trainer#restore}); returns
     * the saved loader position, if one was saved, for {@link DataLoader#restore}.
     */
    public static Optional<DataLoader.State> load(Path file, Trainer trainer) throws IOException {
        return restore(read(file), file.toString(), trainer);
    }

    /**
     * Restores {@code trainer} from a checkpoint's bytes ({@link #toBytes}, or a file's content read
     * by other means); {@code source} names where they came from in every error. Checks as
     * {@link #load(Path, Trainer)} does, and changes nothing when a check fails.
     */
    public static Optional<DataLoader.State> load(byte[] all, String source, Trainer trainer) throws IOException {
        return restore(read(all, source), source, trainer);
    }

    private static Optional<DataLoader.State> restore(Contents contents, String file, Trainer trainer) throws IOException {
        try {
            trainer.restore(contents.trainer());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return contents.loader();
    }

    /** Reads {@code file} without a Trainer: its state and loader position, checked for integrity and plausibility. */
    public static Contents read(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new IOException(file + ": is a directory, expected a checkpoint file");
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(file + ": cannot be read (" + e + ")", e);
        }
        return read(all, file.toString());
    }

    /** Reads a checkpoint's bytes; {@code source} names where they came from in every error. */
    public static Contents read(byte[] all, String source) throws IOException {
        String file = source;
        if (all.length < 16) throw new IOException(file + ": " + all.length + " bytes is too short for a Gradus checkpoint");
        ByteBuffer in = ByteBuffer.wrap(all);
        if (in.getInt() != MAGIC) throw new IOException(file + ": not a Gradus checkpoint (wrong magic number)");
        int version = in.getInt();
        if (version != VERSION && version != VERSION_2) {
            throw new IOException(file + ": checkpoint version " + version + ", this Gradus reads " + VERSION_2 + " and " + VERSION);
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new IOException(file + ": checksum mismatch (file truncated or corrupt); nothing was restored");
        }
        try {
            String algorithm = readUtf(in, file);
            Map<String, Object> hyper = readHyperparameters(in, file);
            int groupCount = in.getInt();
            if (groupCount < 0 || groupCount > in.remaining()) throw new IOException(file + ": " + groupCount + " parameter groups is not plausible");
            List<ParamGroup> groups = new ArrayList<>();
            for (int i = 0; i < groupCount; i++) {
                String name = readUtf(in, file);
                double multiplier = in.getDouble();
                Optional<WeightDecay> decay = version == VERSION_2 ? version2Decay(in.getDouble(), algorithm, hyper) : readDecay(in, file);
                int members = in.getInt();
                if (members < 0 || members > in.remaining()) throw new IOException(file + ": a group of " + members + " parameters is not plausible");
                List<String> names = new ArrayList<>();
                for (int k = 0; k < members; k++) names.add(readUtf(in, file));
                groups.add(new ParamGroup(name, names, multiplier, decay));
            }
            long updates = in.getLong(), skipped = in.getLong();
            boolean hasOverride = in.get() != 0;
            double override = in.getDouble();
            double[] scheduleState = readDoubles(in, file);
            float[] values = readFloats(in, file);
            int stateCount = in.getInt();
            if (stateCount < 0 || stateCount > 16) throw new IOException(file + ": " + stateCount + " state arrays is not plausible");
            float[][] state = new float[stateCount][];
            List<String> stateNames = new ArrayList<>();
            for (int i = 0; i < stateCount; i++) {
                stateNames.add(version == VERSION_2 ? "state" + i : readUtf(in, file));
                state[i] = readFloats(in, file);
            }
            boolean hasLoader = in.get() != 0;
            DataLoader.State loader = new DataLoader.State(in.getLong(), in.getInt(), in.getInt());
            if (hasLoader && (loader.epoch() < 0 || loader.position() < 0)) {
                throw new IOException(file + ": data loader at epoch " + loader.epoch() + ", position " + loader.position()
                        + ": expected both >= 0");
            }
            if (new java.util.HashSet<>(stateNames).size() != stateNames.size()) {
                throw new IOException(file + ": state arrays named " + stateNames + ": expected distinct names");
            }
            TrainerState trainer = new TrainerState(algorithm, hyper, groups, updates, skipped,
                    hasOverride ? OptionalDouble.of(override) : OptionalDouble.empty(), scheduleState, values, stateNames, state);
            return new Contents(trainer, hasLoader ? Optional.of(loader) : Optional.empty());
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException(file + ": malformed checkpoint (" + e + "); nothing was restored", e);
        }
    }

    /** A version-3 group decay: its tag and lambda. */
    private static Optional<WeightDecay> readDecay(ByteBuffer in, String file) throws IOException {
        byte tag = in.get();
        double lambda = in.getDouble();
        return switch (tag) {
            case 'K' -> Optional.empty();
            case 'N' -> Optional.of(WeightDecay.none());
            case 'C' -> Optional.of(WeightDecay.coupled(lambda));
            case 'D' -> Optional.of(WeightDecay.decoupled(lambda));
            default -> throw new IOException(file + ": a group's weight decay has an unknown tag " + tag);
        };
    }

    /**
     * A version-2 group decay: NaN kept the rule's; a lambda took the rule's kind, which the file
     * names (AdamW's {@code decoupled}, and Lion's and LAMB's decay, which is only decoupled).
     */
    private static Optional<WeightDecay> version2Decay(double lambda, String algorithm, Map<String, Object> hyper) {
        if (Double.isNaN(lambda)) return Optional.empty();
        boolean decoupled = Boolean.TRUE.equals(hyper.get("decoupled")) || algorithm.equals("lion") || algorithm.equals("lamb");
        return Optional.of(decoupled ? WeightDecay.decoupled(lambda) : WeightDecay.coupled(lambda));
    }

    private static void writeHyperparameters(DataOutputStream out, Map<String, Object> hyper) throws IOException {
        out.writeInt(hyper.size());
        for (var e : hyper.entrySet()) {
            out.writeUTF(e.getKey());
            switch (e.getValue()) {
                case Double d -> { out.writeByte('D'); out.writeDouble(d); }
                case Float f -> { out.writeByte('F'); out.writeFloat(f); }
                case Integer i -> { out.writeByte('I'); out.writeInt(i); }
                case Long l -> { out.writeByte('J'); out.writeLong(l); }
                case Boolean b -> { out.writeByte('Z'); out.writeBoolean(b); }
                case String str -> { out.writeByte('S'); out.writeUTF(str); }
                case null, default -> throw new IllegalArgumentException("hyperparameter " + e.getKey() + " = " + e.getValue()
                        + ": a checkpoint stores numbers, booleans and strings");
            }
        }
    }

    private static Map<String, Object> readHyperparameters(ByteBuffer in, String file) throws IOException {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) throw new IOException(file + ": a list of " + n + " hyperparameters does not fit in the file");
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = readUtf(in, file);
            byte tag = in.get();
            Object value = switch (tag) {
                case 'D' -> in.getDouble();
                case 'F' -> in.getFloat();
                case 'I' -> in.getInt();
                case 'J' -> in.getLong();
                case 'Z' -> in.get() != 0;
                case 'S' -> readUtf(in, file);
                default -> throw new IOException(file + ": hyperparameter " + name + " has an unknown type tag " + tag);
            };
            out.put(name, value);
        }
        return out;
    }

    private static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double d : v) out.writeDouble(d);
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        // in bulk through a big-endian buffer: the same bytes as writeFloat per element, ~10x faster
        ByteBuffer block = ByteBuffer.allocate(4 * Math.min(v.length, 1 << 16));
        for (int at = 0; at < v.length; at += block.capacity() / 4) {
            int n = Math.min(block.capacity() / 4, v.length - at);
            block.clear();
            block.asFloatBuffer().put(v, at, n);
            out.write(block.array(), 0, 4 * n);
        }
    }

    /**
     * Reads what {@link DataOutputStream#writeUTF} wrote: Java's modified UTF-8 (NUL as two bytes,
     * supplementary characters as two surrogates), which standard UTF-8 decoding would garble.
     */
    private static String readUtf(ByteBuffer in, String file) throws IOException {
        int len = in.getShort() & 0xFFFF;
        byte[] b = new byte[2 + len];
        b[0] = (byte) (len >>> 8);
        b[1] = (byte) len;
        in.get(b, 2, len);
        try {
            return DataInputStream.readUTF(new DataInputStream(new ByteArrayInputStream(b)));
        } catch (java.io.UTFDataFormatException e) {
            throw new IOException(file + ": a name that is not valid modified UTF-8 (" + e.getMessage() + ")", e);
        }
    }

    private static double[] readDoubles(ByteBuffer in, String file) throws IOException {
        int n = in.getInt();
        if (n < 0 || n > in.remaining() / 8) throw new IOException(file + ": a list of " + n + " numbers does not fit in the file");
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = in.getDouble();
        return v;
    }

    private static float[] readFloats(ByteBuffer in, String file) throws IOException {
        int n = in.getInt();
        if (n < 0 || n > in.remaining() / 4) throw new IOException(file + ": an array of " + n + " floats does not fit in the file");
        float[] v = new float[n];
        in.asFloatBuffer().get(v); // big-endian, as written
        in.position(in.position() + 4 * n);
        return v;
    }
}
