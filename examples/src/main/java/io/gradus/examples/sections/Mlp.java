package io.gradus.examples.sections;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.FashionMnist;
import io.gradus.examples.MlpRuns;
import io.gradus.examples.Plots;
import io.gradus.examples.Progress;
import io.gradus.examples.Run;
import io.gradus.examples.Section;
import io.gradus.gpu.DeviceContext;
import io.gradus.optim.OptimizerCatalog;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * Not a section of the book: an MLP (784-256-256-10, ReLU) on Fashion-MNIST with any optimizer
 * of the chapter, on the CPU or ({@code --device gpu}) the OpenCL device, printing the book's
 * {@code train loss ..., train acc ..., test acc ...} line and examples per second for each epoch,
 * and drawing the loss curve.
 */
public final class Mlp implements Section {

    /** The learning rate each algorithm gets unless {@code --lr} says otherwise (Adadelta ignores it). */
    static final Map<String, Double> DEFAULT_RATES = Map.ofEntries(
            Map.entry("sgd", 0.1), Map.entry("momentum", 0.05), Map.entry("nesterov", 0.05), Map.entry("adagrad", 0.05),
            Map.entry("rmsprop", 0.001), Map.entry("rmsprop-centered", 0.001), Map.entry("adadelta", 1.0),
            Map.entry("adam", 0.001), Map.entry("amsgrad", 0.001), Map.entry("adamw", 0.001), Map.entry("yogi", 0.01));

    /** The catalog's names, for picocli's completion and --help. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return OptimizerCatalog.entries().stream().map(OptimizerCatalog.Entry::name).iterator();
        }
    }

    private final OptimizerCatalog.Entry entry;
    private final double lr;
    private final int batch;

    /**
     * @param optimizer a catalog name
     * @param lr        the learning rate, or null for the algorithm's default
     * @param batch     the minibatch size
     */
    public Mlp(String optimizer, Double lr, int batch) {
        this.entry = OptimizerCatalog.entry(optimizer);
        if (lr != null && (!(lr >= 0) || Double.isInfinite(lr))) throw new IllegalArgumentException("lr = " + lr + ": expected a finite rate >= 0");
        this.lr = lr != null ? lr : DEFAULT_RATES.get(entry.name());
        this.batch = batch;
    }

    @Override public String name() { return "mlp"; }

    @Override public String title() { return "MLP on Fashion-MNIST (" + entry.name() + ")"; }

    @Override public String description() {
        return "an MLP 784-256-256-10 on Fashion-MNIST with any optimizer, on the CPU or the device";
    }

    @Override
    public void run(Run run) throws Exception {
        ArrayDataset train = FashionMnist.train(run.hub()), test = FashionMnist.test(run.hub());
        if (run.quick()) {
            train = train.head(10_000);
            test = test.head(2_000);
        }
        int epochs = run.epochs(run.quick() ? 1 : 5);
        DeviceContext device = run.device();
        String where = device == null ? "the CPU" : device.device().describe();
        run.say(String.format(Locale.ROOT, "MLP 784-256-256-10 on %d training and %d test images, %s (lr %s), batch %d, "
                + "%d epoch(s), seed %d, on %s", train.size(), test.size(), entry.algorithm(), lr, batch, epochs, run.seed(), where));
        MlpRuns.Result result;
        try (Progress progress = run.progress("mlp " + entry.name(), (long) epochs * ((train.size() + batch - 1) / batch))) {
            result = MlpRuns.train(train, test, entry.algorithm(), lr, epochs, batch, run.seed(), device, progress);
        }
        for (MlpRuns.Epoch e : result.epochs()) run.say(e.line());
        MlpRuns.Epoch last = result.last();
        run.say(String.format(Locale.ROOT, "train loss %.3f, train acc %.3f, test acc %.3f", last.trainLoss(), last.trainAccuracy(),
                last.testAccuracy()));
        run.say(String.format(Locale.ROOT, "%.1f examples/sec on %s", last.examplesPerSecond(), device == null ? "cpu" : device.device().name()));
        XYChart chart = Plots.chart("MLP, " + entry.name() + " (lr " + lr + ")", "epoch", "train loss");
        chart.getStyler().setLegendVisible(false);
        Plots.line(chart, "train loss", result.curveX(), result.curveLoss());
        run.figure("mlp-" + entry.name() + "-loss", chart, "MLP training loss over epochs, " + entry.name() + " on " + where);
    }
}
