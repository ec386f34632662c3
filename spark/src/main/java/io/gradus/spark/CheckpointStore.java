package io.gradus.spark;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A distributed run's checkpoints in a directory of any Hadoop file system ({@code file:},
 * {@code hdfs:}, an object store): one file per saved round, {@code round-000000000012.gradus},
 * each written under a temporary name and renamed once complete, so a driver killed during a save
 * leaves the previous checkpoint whole. The two newest are kept. A file holds the run's settings
 * (mode, seed, batch sizes, steps per round, partitions), the round, and the driver Trainer's
 * checkpoint ({@link io.gradus.optim.Checkpoint}'s bytes, with its own CRC), all under a CRC-32.
 */
final class CheckpointStore {

    private static final int MAGIC = 0x47525350; // "GRSP"
    private static final int VERSION = 1;
    private static final Pattern NAME = Pattern.compile("round-(\\d{12})\\.gradus");
    private static final int KEEP = 2;

    /** What a checkpoint file holds besides the Trainer's own bytes: the settings a resume must match. */
    record Settings(String mode, long seed, int batch, int stepsPerRound, int partitions, String stateAveraging) {}

    /** A checkpoint read back. */
    record Saved(Path file, long round, Settings settings, byte[] trainer) {}

    private final Path dir;
    private final Configuration conf;

    CheckpointStore(String dir, Configuration conf) {
        this.dir = new Path(dir);
        this.conf = conf;
    }

    String location() {
        return dir.toString();
    }

    /** Writes the checkpoint of {@code round} (rounds done) atomically, then removes all but the newest two. */
    void save(long round, Settings settings, byte[] trainer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(trainer.length + 256);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(round);
        out.writeUTF(settings.mode());
        out.writeLong(settings.seed());
        out.writeInt(settings.batch());
        out.writeInt(settings.stepsPerRound());
        out.writeInt(settings.partitions());
        out.writeUTF(settings.stateAveraging());
        out.writeInt(trainer.length);
        out.write(trainer);
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        Path target = new Path(dir, String.format("round-%012d.gradus", round));
        Path tmp = new Path(dir, "." + target.getName() + "." + java.util.UUID.randomUUID() + ".tmp");
        FileSystem fs = dir.getFileSystem(conf);
        try {
            fs.mkdirs(dir);
            try (FSDataOutputStream file = fs.create(tmp, false)) {
                file.write(bytes.toByteArray());
                file.hsync(); // on stable storage before the rename makes it the checkpoint
            }
            if (fs.exists(target)) fs.delete(target, false); // a round saved again after a resume
            if (!fs.rename(tmp, target)) throw new IOException("rename of " + tmp + " to " + target + " failed");
        } catch (IOException e) {
            try {
                fs.delete(tmp, false);
            } catch (IOException ignored) {
                // the temporary file is named so that reading never takes it for a checkpoint
            }
            throw new IOException(target + ": checkpoint of round " + round + " cannot be written (" + e + "); the previous one is unchanged", e);
        }
        List<Long> rounds = rounds(fs);
        for (int i = KEEP; i < rounds.size(); i++) fs.delete(roundFile(rounds.get(i)), false);
    }

    private Path roundFile(long round) {
        return new Path(dir, String.format("round-%012d.gradus", round));
    }

    /** The rounds saved, newest first. */
    private List<Long> rounds(FileSystem fs) throws IOException {
        List<Long> out = new ArrayList<>();
        if (!fs.exists(dir)) return out;
        for (FileStatus st : fs.listStatus(dir)) {
            Matcher m = NAME.matcher(st.getPath().getName());
            if (st.isFile() && m.matches()) out.add(Long.parseLong(m.group(1)));
        }
        out.sort(Comparator.reverseOrder());
        return out;
    }

    /**
     * The newest checkpoint that reads back whole, or null when the directory holds none. A newer
     * file that is damaged (a disk error; a save cannot leave half a file) is reported on the log
     * and the one before it taken; when every file is damaged, the error names them.
     */
    Saved latest(java.util.function.Consumer<String> log) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        List<Long> rounds = rounds(fs);
        List<String> damaged = new ArrayList<>();
        for (long r : rounds) {
            Path file = roundFile(r);
            try {
                return read(fs, file);
            } catch (IOException e) {
                damaged.add(e.getMessage());
                log.accept("skipping damaged checkpoint " + e.getMessage());
            }
        }
        if (!damaged.isEmpty()) throw new IOException("no checkpoint in " + dir + " reads back whole: " + damaged);
        return null;
    }

    private static Saved read(FileSystem fs, Path file) throws IOException {
        long length = fs.getFileStatus(file).getLen();
        if (length < 24 || length > Integer.MAX_VALUE - 16) throw new IOException(file + ": " + length + " bytes is not a Gradus Spark checkpoint");
        byte[] all = new byte[(int) length];
        try (InputStream in = fs.open(file)) {
            int at = 0;
            while (at < all.length) {
                int n = in.read(all, at, all.length - at);
                if (n < 0) throw new IOException(file + ": ended after " + at + " of " + all.length + " bytes");
                at += n;
            }
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        ByteBuffer buf = ByteBuffer.wrap(all);
        if (buf.getInt() != MAGIC) throw new IOException(file + ": not a Gradus Spark checkpoint (wrong magic number)");
        int version = buf.getInt();
        if (version != VERSION) throw new IOException(file + ": version " + version + ", this Gradus reads " + VERSION);
        if (ByteBuffer.wrap(all, all.length - 8, 8).getLong() != crc.getValue()) {
            throw new IOException(file + ": checksum mismatch (truncated or corrupt)");
        }
        try (var in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(all, 8, all.length - 16))) {
            long round = in.readLong();
            Settings settings = new Settings(in.readUTF(), in.readLong(), in.readInt(), in.readInt(), in.readInt(), in.readUTF());
            int n = in.readInt();
            if (n < 0 || n > all.length) throw new IOException(file + ": a trainer checkpoint of " + n + " bytes does not fit");
            byte[] trainer = in.readNBytes(n);
            if (trainer.length != n) throw new IOException(file + ": the trainer checkpoint is cut short");
            return new Saved(file, round, settings, trainer);
        }
    }
}
