package io.gradus.core.data;

import java.io.IOException;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): 28 x 28 grey images of 10 kinds of clothing,
 * 60,000 for training and 10,000 for testing, as section 11.11 uses them. Images come as
 * {@code [1, 28, 28]} examples with pixels scaled to [0, 1]; labels are class indices 0-9.
 *
 * <p>Debian's {@code dataset-fashion-mnist} package installs the four files in
 * {@code /usr/share/datasets/fashion-mnist}, which {@link DataHub} searches; any directory given by
 * {@code GRADUS_DATA} or {@code -Dgradus.data} holding the four {@code .gz} files works too.
 * Copies differ byte for byte (Debian re-compressed them), so the files are checked by their IDX
 * structure instead of a SHA-1.
 */
public final class FashionMnist {

    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
    private static final String ADVICE = "On Debian or Ubuntu: apt-get install dataset-fashion-mnist; elsewhere download the "
            + "four files from https://github.com/zalandoresearch/fashion-mnist into that directory";

    public static final DataFile TRAIN_IMAGES = file("train-images-idx3-ubyte.gz");
    public static final DataFile TRAIN_LABELS = file("train-labels-idx1-ubyte.gz");
    public static final DataFile TEST_IMAGES = file("t10k-images-idx3-ubyte.gz");
    public static final DataFile TEST_LABELS = file("t10k-labels-idx1-ubyte.gz");

    public static final int SIDE = 28;
    public static final int CLASSES = 10;
    public static final List<String> CLASS_NAMES = List.of("t-shirt", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle boot");

    private FashionMnist() {}

    private static DataFile file(String name) {
        return new DataFile(name, null, null, List.of(DEBIAN_DIR), ADVICE);
    }

    /** The 60,000 training images. */
    public static ArrayDataset train(DataHub hub) throws IOException {
        return load(hub, TRAIN_IMAGES, TRAIN_LABELS);
    }

    /** The 10,000 test images. */
    public static ArrayDataset test(DataHub hub) throws IOException {
        return load(hub, TEST_IMAGES, TEST_LABELS);
    }

    static ArrayDataset load(DataHub hub, DataFile imagesFile, DataFile labelsFile) throws IOException {
        var imagesPath = hub.locate(imagesFile);
        var labelsPath = hub.locate(labelsFile);
        IdxFile images = IdxFile.read(imagesPath, 3);
        IdxFile labels = IdxFile.read(labelsPath, 1);
        int n = images.dims()[0];
        if (images.dims()[1] != SIDE || images.dims()[2] != SIDE) {
            throw new IOException(imagesPath + ": images are " + images.dims()[1] + " x " + images.dims()[2]
                    + ", expected " + SIDE + " x " + SIDE);
        }
        if (labels.dims()[0] != n) {
            throw new IOException(labelsPath + " holds " + labels.dims()[0] + " labels but " + imagesPath
                    + " holds " + n + " images");
        }
        float[] x = new float[images.data().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (images.data()[i] & 0xFF) / 255f;
        }
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int label = labels.data()[i] & 0xFF;
            if (label >= CLASSES) {
                throw new IOException(labelsPath + ": label " + label + " of example " + i + " is not a class 0-9");
            }
            y[i] = label;
        }
        return new ArrayDataset(x, new int[] {1, SIDE, SIDE}, y);
    }
}
