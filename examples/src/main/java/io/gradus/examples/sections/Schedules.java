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
import java.util.Optional;
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

    /** What the book prints after 40 epochs of LeNet with a schedule: train loss, train acc, test acc. */
    public record BookLine(double trainLoss, double trainAccuracy, double testAccuracy) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "train loss %.3f, train acc %.3f, test acc %.3f", trainLoss, trainAccuracy, testAccuracy);
        }
    }

    /**
     * One of the section's schedules: its id for {@code --schedule}, its name with the book's
     * arguments, a factory (the book's FactorScheduler keeps state, so each run builds its own),
     * and the line the book prints after training LeNet with it for 40 epochs, where it does.
     */
    public record BookSchedule(String id, String name, Supplier<LrScheduler> factory, Optional<BookLine> book) {}

    /** The book's schedules in its order. */
    public static List<BookSchedule> bookSchedules() {
        return List.of(
                new BookSchedule("constant", "constant 0.5", () -> LrScheduler.of(LrSchedule.constant(0.5)),
                        Optional.of(new BookLine(2.303, 0.101, 0.100))),
                new BookSchedule("square-root", "square root (lr 1.0)",
                        () -> LrScheduler.of(io.gradus.optim.schedule.Schedules.squareRoot(1.0)),
                        Optional.of(new BookLine(0.271, 0.902, 0.893))),
                new BookSchedule("book-factor", "book factor (0.9, 1e-2, 2.0)", () -> new BookFactorScheduler(0.9, 1e-2, 2.0),
                        Optional.empty()),
                new BookSchedule("multi-factor", "multi-factor ([15, 30], 0.5, 0.5)",
                        () -> LrScheduler.of(io.gradus.optim.schedule.Schedules.multiFactor(new long[] {15, 30}, 0.5, 0.5)),
                        Optional.of(new BookLine(0.149, 0.945, 0.892))),
                new BookSchedule("cosine", "cosine (40, 0.5, 0.01)",
                        () -> LrScheduler.of(io.gradus.optim.schedule.Schedules.cosine(40, 0.5, 0.01)),
                        Optional.of(new BookLine(0.342, 0.876, 0.867))),
                new BookSchedule("cosine-warmup", "cosine with warmup (40, 5, 0.5, 0.01)",
                        () -> LrScheduler.of(io.gradus.optim.schedule.Schedules.cosineWithWarmup(40, 0.5, 0.01, 5, 0, WarmupMode.LINEAR)),
                        Optional.of(new BookLine(0.380, 0.862, 0.843))));
    }

    /** The schedules {@code ids} names (all when empty). */
    static List<BookSchedule> selected(List<String> ids) {
        List<BookSchedule> all = bookSchedules();
        for (String id : ids) {
            if (all.stream().noneMatch(b -> b.id().equals(id))) {
                throw new IllegalArgumentException("--schedule " + id + ": expected one of "
                        + all.stream().map(BookSchedule::id).toList());
            }
        }
        return ids.isEmpty() ? all : all.stream().filter(b -> ids.contains(b.id())).toList();
    }

    static String file(String name) {
        return "11.11-" + name.replaceAll(" \\(.*", "").replace(' ', '-');
    }

    /** The book's animator figure: train loss and accuracy within epochs, test accuracy after each; over seeds, medians and bands. */
    static XYChart curves(String name, LeNetRuns.SeedRuns r, int epochs) {
        XYChart chart = Plots.chart("LeNet, " + name, "epoch", "");
        chart.getStyler().setXAxisMin(0.0).setXAxisMax((double) epochs);
        LeNetRuns.Result first = r.runs().getFirst();
        if (r.runs().size() == 1) {
            if (first.curveX().length > 0) {
                Plots.line(chart, "train loss", first.curveX(), first.curveLoss());
                Plots.line(chart, "train acc", first.curveX(), first.curveAccuracy());
            }
            Plots.lineWithPoints(chart, "test acc", first.testX(), first.testAccuracy());
            return chart;
        }
        band(chart, "train loss", first.curveX(), r, LeNetRuns.Result::curveLoss, Plots.BLUE_LINE, false);
        band(chart, "train acc", first.curveX(), r, LeNetRuns.Result::curveAccuracy, Plots.ORANGE_LINE, false);
        band(chart, "test acc", first.testX(), r, LeNetRuns.Result::testAccuracy, new java.awt.Color(0x2ca02c), true);
        return chart;
    }

    private static void band(XYChart chart, String name, double[] x, LeNetRuns.SeedRuns r,
                             java.util.function.Function<LeNetRuns.Result, double[]> curve, java.awt.Color color, boolean points) {
        if (x.length == 0) return;
        double[] median = new double[x.length], lo = new double[x.length], hi = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            LeNetRuns.Spread s = r.at(i, curve);
            median[i] = s.median();
            lo[i] = s.min();
            hi[i] = s.max();
        }
        Plots.band(chart, name + " range", x, lo, hi, color);
        var line = points ? Plots.lineWithPoints(chart, name, x, median) : Plots.line(chart, name, x, median);
        line.setLineColor(color);
        line.setMarkerColor(color);
    }

    @Override
    public void run(Run run) throws Exception {
        // 11.11.2: Trainer.set_learning_rate.
        Params p = Params.of(Map.of("w", new Parameter("w", Tensor.zeros(1))));
        Trainer trainer = new Trainer(p, Optimizers.sgd(), LrSchedule.constant(0.5));
        trainer.setLearningRate(0.1);
        run.sayf("Learning rate is now %.2f", trainer.learningRate());

        // The plots, t from 0 as the book's d2l.plot(np.arange(num_epochs), [scheduler(t) ...]).
        List<BookSchedule> schedules = selected(run.schedules());
        for (BookSchedule e : schedules) {
            if (e.id().equals("constant")) continue;
            LrScheduler s = e.factory().get();
            int n = e.id().equals("book-factor") ? 50 : 40;
            double[] t = Plots.arange(0, n, 1), lr = new double[n];
            for (int i = 0; i < n; i++) {
                lr[i] = s.rate(i);
                s.advance(i); // the book's scheduler decays once per call, as here once per update
            }
            XYChart chart = Plots.chart(e.name(), "t", "learning rate");
            chart.getStyler().setLegendVisible(false);
            Plots.line(chart, "lr", t, lr);
            run.figure(file(e.name()) + "-schedule", chart, e.name() + " over t = 0.." + (n - 1));
            StringBuilder first = new StringBuilder();
            for (int i = 0; i < 8; i++) first.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", lr[i]));
            run.say(e.name() + ": t = 0..7: " + first + ", ..., t = " + (n - 1) + ": " + String.format(Locale.ROOT, "%.4g", lr[n - 1]));
        }

        ArrayDataset train = FashionMnist.train(run.hub()), test = FashionMnist.test(run.hub());
        if (run.quick()) {
            train = train.head(10_000);
            test = test.head(2_000);
        }
        int epochs = run.epochs(run.quick() ? 1 : 2);
        run.say("LeNet on Fashion-MNIST: " + train.size() + " training and " + test.size() + " test images, batch "
                + LeNetRuns.BATCH + ", " + epochs + " epoch(s) per schedule, seed " + run.seed()
                + (run.device() == null ? ", on the CPU" : ", on " + run.device().device().name()));
        int seeds = run.seeds();
        // Several seeds at once only where there are cores to spare for them (on a device: one at a time, its queue is shared).
        int concurrent = run.device() != null ? 1 : Math.max(1, Math.min(seeds, Runtime.getRuntime().availableProcessors() / 2));
        if (seeds > 1) run.sayf("%d seeds per schedule (%d to %d), %d at a time; medians and ranges over them", seeds, run.seed(),
                run.seed() + seeds - 1, concurrent);
        double secondsPerEpoch = 0;
        for (BookSchedule e : schedules) {
            LeNetRuns.SeedRuns r = LeNetRuns.overSeeds(train, test, e.factory(), epochs, run.seed(), seeds, concurrent, run.device(), run,
                    e.name().replaceAll(" \\(.*", ""));
            for (LeNetRuns.Result one : r.runs()) {
                for (LeNetRuns.Epoch ep : one.epochs()) secondsPerEpoch += ep.seconds() / ((double) epochs * schedules.size() * seeds);
            }
            run.say(e.name() + ":");
            if (seeds == 1) {
                LeNetRuns.Result one = r.runs().getFirst();
                for (LeNetRuns.Epoch ep : one.epochs()) run.say("  " + ep.line());
                run.say("  " + one.line());
            } else {
                for (int k = 0; k < seeds; k++) run.say("  seed " + (run.seed() + k) + ": " + r.runs().get(k).line());
                run.say("  " + r.line());
            }
            if (r.skippedUpdates() > 0) run.say("  (" + r.skippedUpdates() + " updates skipped: gradient not finite)");
            if (e.book().isPresent()) run.say("  the book, 40 epochs: " + e.book().get());
            run.figure(file(e.name()) + "-lenet", curves(e.name(), r, epochs),
                    "LeNet with " + e.name() + ": train loss, train and test accuracy"
                            + (seeds > 1 ? " (median over " + seeds + " seeds, the band their range)" : ""));
        }
        if (!run.quick() && epochs < 40) {
            run.sayf("For the book's 40 epochs: schedules --epochs 40 (about %.0f min per schedule at this run's %.1f s per epoch)",
                    40 * secondsPerEpoch / 60, secondsPerEpoch);
        }
    }
}
