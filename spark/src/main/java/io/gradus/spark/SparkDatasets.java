package io.gradus.spark;

import io.gradus.core.data.Airfoil;
import io.gradus.core.data.FashionMnist;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * The chapter's datasets read from any Hadoop file system path ({@code hdfs:}, {@code file:}, an
 * object store), so that every executor reads its own share instead of the driver reading all of
 * it: the same examples as core's single-machine loaders ({@link Airfoil}, {@link FashionMnist}),
 * in the same order. A missing path fails on the driver, before any job, with an error naming it.
 */
public final class SparkDatasets {
    private SparkDatasets() {}

    /**
     * Section 11.5's airfoil data from the tab-separated file at {@code path}, in {@code partitions}
     * partitions of consecutive rows: each executor parses its split of the file; the column means and
     * population standard deviations over all rows are combined on the driver in partition order;
     * the first 1,500 rows are kept, whitened ({@link Airfoil}'s preparation). Core's loader sums the
     * column statistics in one sequential pass, this one per partition: a feature may differ from it
     * in its last float bit.
     */
    public static JavaRDD<Example> airfoil(JavaSparkContext spark, String path, int partitions) throws IOException {
        requireFile(spark, path, "the airfoil file " + Airfoil.FILE.name() + " (SHA-1 " + Airfoil.FILE.sha1() + ")");
        if (partitions < 1) throw new IllegalArgumentException("partitions = " + partitions + ": expected >= 1");
        int columns = Airfoil.COLUMNS;
        String source = path;
        JavaRDD<double[]> rows = spark.textFile(path, partitions).filter(line -> !line.isBlank()).map(line -> {
            String[] cells = line.trim().split("\\s+");
            if (cells.length != columns) {
                throw new IllegalArgumentException(source + ": a row of " + cells.length + " columns, expected " + columns + ": '" + line + "'");
            }
            double[] row = new double[columns];
            for (int j = 0; j < columns; j++) {
                row[j] = Double.parseDouble(cells[j]);
                if (!Double.isFinite(row[j])) throw new IllegalArgumentException(source + ": '" + cells[j] + "' is not a finite number");
            }
            return row;
        }).cache();
        try {
            spark.setJobDescription("Gradus: airfoil column sums");
            List<double[]> sums = rows.mapPartitions(it -> {
                double[] s = new double[columns + 1];
                while (it.hasNext()) {
                    double[] r = it.next();
                    for (int j = 0; j < columns; j++) s[j] += r[j];
                    s[columns]++;
                }
                return List.of(s).iterator();
            }).collect(); // in partition order
            double[] mean = new double[columns];
            double n = 0;
            for (double[] s : sums) {
                for (int j = 0; j < columns; j++) mean[j] += s[j];
                n += s[columns];
            }
            if (n < Airfoil.KEPT) throw new IOException(path + ": " + (long) n + " rows, expected at least " + Airfoil.KEPT);
            for (int j = 0; j < columns; j++) mean[j] /= n;
            spark.setJobDescription("Gradus: airfoil column deviations");
            List<double[]> squares = rows.mapPartitions(it -> {
                double[] s = new double[columns];
                while (it.hasNext()) {
                    double[] r = it.next();
                    for (int j = 0; j < columns; j++) s[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
                }
                return List.of(s).iterator();
            }).collect();
            double[] std = new double[columns];
            for (double[] s : squares) for (int j = 0; j < columns; j++) std[j] += s[j];
            for (int j = 0; j < columns; j++) {
                std[j] = Math.sqrt(std[j] / n); // population, as NumPy's std() and core's Airfoil
                if (!(std[j] > 0)) throw new IOException(path + ": column " + (j + 1) + " is constant: it cannot be whitened");
            }
            long kept = Airfoil.KEPT;
            spark.setJobDescription(null);
            return rows.zipWithIndex().filter(t -> t._2() < kept).map((Tuple2<double[], Long> t) -> {
                double[] r = t._1();
                float[] x = new float[columns - 1];
                for (int j = 0; j < columns - 1; j++) x[j] = (float) ((r[j] - mean[j]) / std[j]);
                return new Example(x, (float) ((r[columns - 1] - mean[columns - 1]) / std[columns - 1]));
            });
        } finally {
            spark.setJobDescription(null);
        }
    }

    /**
     * Fashion-MNIST's training ({@code train}) or test images from the directory {@code dir} holding
     * the four IDX files (gzip or plain, as Debian's {@code dataset-fashion-mnist} installs them), in
     * {@code partitions} partitions of consecutive images: each task opens the files itself and
     * reads only its range (a gzip file is decompressed up to the range's end). Pixels scaled to
     * [0, 1], labels 0-9, as {@link FashionMnist} gives them.
     */
    public static JavaRDD<Example> fashionMnist(JavaSparkContext spark, String dir, boolean train, int partitions) throws IOException {
        if (partitions < 1) throw new IllegalArgumentException("partitions = " + partitions + ": expected >= 1");
        String images = dir + "/" + (train ? FashionMnist.TRAIN_IMAGES : FashionMnist.TEST_IMAGES).name();
        String labels = dir + "/" + (train ? FashionMnist.TRAIN_LABELS : FashionMnist.TEST_LABELS).name();
        String advice = "Fashion-MNIST's IDX files (Debian: apt-get install dataset-fashion-mnist puts them in " + FashionMnist.DEBIAN_DIR + ")";
        requireFile(spark, images, advice);
        requireFile(spark, labels, advice);
        HadoopConf conf = new HadoopConf(spark.hadoopConfiguration());
        int n, side = FashionMnist.SIDE;
        try (DataInputStream in = open(conf.value, images)) {
            if (in.readInt() != 0x803) throw new IOException(images + ": not an IDX file of unsigned bytes in 3 dimensions");
            n = in.readInt();
            if (in.readInt() != side || in.readInt() != side) throw new IOException(images + ": images are not " + side + " x " + side);
        }
        try (DataInputStream in = open(conf.value, labels)) {
            if (in.readInt() != 0x801) throw new IOException(labels + ": not an IDX file of unsigned bytes in 1 dimension");
            int m = in.readInt();
            if (m != n) throw new IOException(labels + " holds " + m + " labels, " + images + " holds " + n + " images");
        }
        int count = n;
        return spark.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions).flatMap(p -> {
            int from = (int) ((long) p * count / partitions), to = (int) ((long) (p + 1) * count / partitions);
            int pixels = side * side;
            List<Example> out = new ArrayList<>(to - from);
            try (DataInputStream img = open(conf.value, images); DataInputStream lab = open(conf.value, labels)) {
                img.skipNBytes(16 + (long) from * pixels);
                lab.skipNBytes(8 + (long) from);
                byte[] raw = new byte[pixels];
                for (int i = from; i < to; i++) {
                    img.readFully(raw);
                    int label = lab.readUnsignedByte();
                    if (label >= FashionMnist.CLASSES) throw new IOException(labels + ": label " + label + " of example " + i + " is not a class 0-9");
                    float[] x = new float[pixels];
                    for (int k = 0; k < pixels; k++) x[k] = (raw[k] & 0xFF) / 255f;
                    out.add(new Example(x, label));
                }
            }
            return out.iterator();
        });
    }

    /** An IDX file, through gzip when it starts with gzip's magic number. */
    private static DataInputStream open(Configuration conf, String file) throws IOException {
        Path p = new Path(file);
        InputStream raw = new BufferedInputStream(p.getFileSystem(conf).open(p), 1 << 16);
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw);
    }

    private static void requireFile(JavaSparkContext spark, String file, String what) throws IOException {
        if (file == null || file.isBlank()) throw new IllegalArgumentException("path = " + file + ": expected a Hadoop path to " + what);
        Path p = new Path(file);
        FileSystem fs = p.getFileSystem(spark.hadoopConfiguration());
        if (!fs.exists(p)) {
            throw new FileNotFoundException(file + " (file system " + fs.getUri() + ") does not exist: expected " + what
                    + "; copy it there (e.g. hdfs dfs -put) or pass the path where it is");
        }
        if (!fs.getFileStatus(p).isFile()) throw new FileNotFoundException(file + " is a directory: expected " + what);
    }

    /** A Hadoop configuration that travels to executors (Configuration is Writable, not Serializable). */
    private static final class HadoopConf implements Serializable {
        private static final long serialVersionUID = 1L;
        transient Configuration value;

        HadoopConf(Configuration value) {
            this.value = value;
        }

        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
            value.write(out);
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            value = new Configuration(false);
            value.readFields(in);
        }
    }
}
