package io.gradus.examples;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.DataLoader;
import io.gradus.gpu.DeviceArray;
import io.gradus.gpu.DeviceContext;
import io.gradus.gpu.DeviceNetwork;
import io.gradus.gpu.DeviceNn;

/**
 * A training set resident on a device, and its minibatches gathered there in a {@link DataLoader}'s
 * order: the features and labels are uploaded once; each epoch sends only the order (one float per
 * example), and each batch is two gathers on the device. The device runs of {@link LeNetRuns} and
 * {@link MlpRuns} draw the same minibatches as their CPU runs this way.
 */
final class DeviceBatches implements AutoCloseable {
    private final DeviceArray x, y, order, batchX, batchY;
    private final int features;
    private final int[] indices;
    private final float[] index;

    DeviceBatches(DeviceContext device, ArrayDataset data, int batch) {
        this.features = data.exampleSize();
        this.x = device.upload(MlpRuns.features(data));
        this.y = device.upload(MlpRuns.labels(data));
        this.order = device.allocate(data.size());
        this.batchX = device.allocate(batch * features);
        this.batchY = device.allocate(batch);
        this.indices = new int[data.size()];
        this.index = new float[data.size()];
    }

    /** Draws the loader's next epoch and sends its order to the device; returns how many examples it holds. */
    int nextEpoch(DataLoader loader) {
        int filled = 0;
        while (loader.hasNext()) filled += loader.nextIndices(indices, filled);
        for (int i = 0; i < filled; i++) index[i] = indices[i];
        order.upload(index);
        return filled;
    }

    /** Gathers examples {@code [first, first + rows)} of this epoch's order and trains {@code net} on them (forward, loss, backward). */
    DeviceNetwork.BatchResult train(DeviceNetwork net, int first, int rows) {
        DeviceNn.gatherRows(x, order, first, rows, features, batchX);
        DeviceNn.gatherRows(y, order, first, rows, 1, batchY);
        return net.trainBatch(batchX, 0, batchY, 0, rows);
    }

    @Override
    public void close() {
        x.close();
        y.close();
        order.close();
        batchX.close();
        batchY.close();
    }
}
