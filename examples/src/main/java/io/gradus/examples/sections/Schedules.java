package io.gradus.examples.sections;

import io.gradus.core.data.ArrayDataset;
import io.gradus.core.data.FashionMnist;
import io.gradus.core.nn.Parameter;
import io.gradus.core.tensor.Tensor;
import io.gradus.examples.LeNetRuns;
import io.gradus.examples.Plots;
import io.gradus.examples.Run;
import io.gradus.examples.Section;
import io.gradus.optim.Optimizers;
import io.gradus.optim.Params;
import io.gradus.optim.Trainer;
import io.gradus.optim.schedule.BookFactorScheduler;
import io.gradus.optim.schedule.LrSchedule;
import io.gradus.optim.schedule.LrScheduler;
import io.gradus.optim.schedule.Schedules.WarmupMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.knowm.xchart.XYChart;

/**
 * 11.11: the schedules (plotted from t = 0 as the book plots them) and LeNet on Fashion-MNIST with
 * each, the schedule fed the update count per minibatch as Gluon's Trainer does (book/NOTES.md):
 * so SquareRoot gives (n + 1)^-1/2 per update, MultiFactor drops after 15 and 30 updates and
 * Cosine reaches its floor after 40 updates, although the book's plots label the axis in epochs.
 */
public final class Schedules implements Section {

    @Override public String name() { return "schedules"; }

    @Override public String title() { return "11.11 Learning Rate Scheduling"; }

    @Override public String description() {
        return "the schedule plots and LeNet on Fashion-MNIST with constant, square-root, factor, multi-factor, cosine "
                + "and warmup schedules (--epochs, default 2; the book uses 40)";
    }

    /** The book's schedules, each built fresh (the book's FactorScheduler keeps state). */
    public static Map<String, Supplier<LrScheduler>> bookSchedules() {
        var m = new java.util.LinkedHashMap<String, Supplier<LrScheduler>>();
        m.put("constant 0.5", () -> LrScheduler.of(LrSchedule.constant(0.5)));
        m.put("square root (lr 1.0)", () -> LrScheduler.of(io.gradus.optim.schedule.Schedules.squareRoot(1.0)));
        m.put("book factor (0.9, 1e-2, 2.0)", () -> new BookFactorScheduler(0.9, 1e-2, 2.0));
        m.put("multi-factor ([15, 30], 0.5, 0.5)", () -> LrScheduler.of(io.gradus.optim.schedule.Schedules.multiFactor(new long[] {15, 30}, 0.5, 0.5)));
        m.put("cosine (40, 0.5, 0.01)", () -> LrScheduler.of(io.gradus.optim.schedule.Schedules.cosine(40, 0.5, 0.01)));
        m.put("cosine with warmup (40, 5, 0.5, 0.01)",
                () -> LrScheduler.of(io.gradus.optim.schedule.Schedules.cosineWithWarmup(40, 0.5, 0.01, 5, 0, WarmupMode.LINEAR)));
        return m;
    }

    static String file(String name) {
        return "11.11-" + name.replaceAll(" \\(.*", "").replace(' ', '-');
    }

    @Override
    public void run(Run run) throws Exception {
        // 11.11.2: Trainer.set_learning_rate.
        Params p = Params.of(Map.of("w", new Parameter("w", Tensor.zeros(1))));
        Trainer trainer = new Trainer(p, Optimizers.sgd(), LrSchedule.constant(0.5));
        trainer.setLearningRate(0.1);
        run.sayf("Learning rate is now %.2f", trainer.learningRate());

        // The plots, t from 0 as the book's d2l.plot(np.arange(num_epochs), [scheduler(t) ...]).
        var schedules = bookSchedules();
        for (var e : schedules.entrySet()) {
            if (e.getKey().startsWith("constant")) continue;
            LrScheduler s = e.getValue().get();
            int n = e.getKey().startsWith("book factor") ? 50 : 40;
            double[] t = Plots.arange(0, n, 1), lr = new double[n];
            for (int i = 0; i < n; i++) {
                lr[i] = s.rate(i);
                s.advance(i); // the book's scheduler decays once per call, as here once per update
            }
            XYChart chart = Plots.chart(e.getKey(), "t", "learning rate");
            chart.getStyler().setLegendVisible(false);
            Plots.line(chart, "lr", t, lr);
            run.figure(file(e.getKey()) + "-schedule", chart, e.getKey() + " over t = 0.." + (n - 1));
            StringBuilder first = new StringBuilder();
            for (int i = 0; i < 8; i++) first.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", lr[i]));
            run.say(e.getKey() + ": t = 0..7: " + first + ", ..., t = " + (n - 1) + ": " + String.format(Locale.ROOT, "%.4g", lr[n - 1]));
        }

        ArrayDataset train = FashionMnist.train(run.hub()), test = FashionMnist.test(run.hub());
        if (run.quick()) {
            train = train.head(10_000);
            test = test.head(2_000);
        }
        int epochs = run.epochs(run.quick() ? 1 : 2);
        run.say("LeNet on Fashion-MNIST: " + train.size() + " training and " + test.size() + " test images, batch "
                + LeNetRuns.BATCH + ", " + epochs + " epoch(s) per schedule, seed " + run.seed());
        double secondsPerEpoch = 0;
        for (var e : schedules.entrySet()) {
            LeNetRuns.Result r = LeNetRuns.train(train, test, e.getValue().get(), epochs, run.seed(), run,
                    e.getKey().replaceAll(" \\(.*", ""));
            for (LeNetRuns.Epoch ep : r.epochs()) secondsPerEpoch += ep.seconds() / (epochs * schedules.size());
            run.say(e.getKey() + ":");
            for (LeNetRuns.Epoch ep : r.epochs()) run.say("  " + ep.line());
            run.say("  " + r.line() + (r.skippedUpdates() > 0 ? " (" + r.skippedUpdates() + " updates skipped: gradient not finite)" : ""));
            XYChart chart = Plots.chart("LeNet, " + e.getKey(), "epoch", "");
            chart.getStyler().setXAxisMin(0.0).setXAxisMax((double) epochs);
            if (r.curveX().length > 0) {
                Plots.line(chart, "train loss", r.curveX(), r.curveLoss());
                Plots.line(chart, "train acc", r.curveX(), r.curveAccuracy());
            }
            Plots.lineWithPoints(chart, "test acc", r.testX(), r.testAccuracy());
            run.figure(file(e.getKey()) + "-lenet", chart, "LeNet with " + e.getKey() + ": train loss, train and test accuracy");
        }
        if (!run.quick() && epochs < 40) {
            run.sayf("For the book's 40 epochs: schedules --epochs 40 (about %.0f min per schedule at this run's %.1f s per epoch)",
                    40 * secondsPerEpoch / 60, secondsPerEpoch);
        }
    }
}
