package io.gradus.examples.sections;

import io.gradus.core.data.Airfoil;
import io.gradus.core.data.ArrayDataset;
import io.gradus.examples.AirfoilRuns;
import io.gradus.examples.AirfoilRuns.Curve;
import io.gradus.bench.ScratchUpdates.ScratchUpdate;
import io.gradus.examples.Plots;
import io.gradus.examples.Progress;
import io.gradus.examples.Run;
import io.gradus.optim.Optimizer;
import java.io.IOException;
import java.util.function.Supplier;
import org.knowm.xchart.XYChart;

/**
 * What sections 11.5-11.10 do with airfoil: train, print the book's {@code loss: L, T sec/epoch}
 * line, draw the loss over epochs (the book's axes: y from 0.22 to 0.35), and state the median
 * final loss over five seeds, since one seed's number moves with the shuffling.
 */
final class AirfoilFigures {

    /** Seeds per configuration for the median the bounds apply to. */
    static final int SEEDS = 5;

    private AirfoilFigures() {}

    static ArrayDataset data(Run run) throws IOException {
        return Airfoil.load(run.hub());
    }

    /** Counts one finished run on the progress display and passes its curve on. */
    static Curve step(Progress progress, Curve curve) {
        progress.step(1, String.format(java.util.Locale.ROOT, "loss %.3f", curve.finalLoss()));
        return curve;
    }

    static XYChart lossChart(String title, int epochs) {
        XYChart chart = Plots.chart(title, "epoch", "loss");
        chart.getStyler().setXAxisMin(0.0).setXAxisMax((double) epochs).setYAxisMin(0.22).setYAxisMax(0.35);
        return chart;
    }

    /**
     * The book's pair for one algorithm: {@code train_ch11} with the from-scratch update and
     * {@code train_gluon_ch11} with the library's optimizer, batch 10, 2 epochs, printed side by
     * side, both curves in one figure, and each one's median over {@link #SEEDS} seeds.
     */
    static void scratchAndConcise(Run run, ArrayDataset data, String file, String label, Supplier<ScratchUpdate> scratch,
                                  Supplier<Optimizer> concise, double lr) throws IOException {
        int batch = 10, epochs = 2;
        // The seeds first: they also warm the JIT up, so the timed run below reports steady-state seconds.
        AirfoilRuns.SeedSummary sm, cm;
        Curve s, c;
        try (Progress progress = run.progress(label, 2 * SEEDS + 2)) {
            sm = AirfoilRuns.overSeeds(seed -> step(progress, AirfoilRuns.scratch(data, scratch.get(), batch, epochs, seed)),
                    run.seed(), SEEDS);
            cm = AirfoilRuns.overSeeds(seed -> step(progress, AirfoilRuns.concise(data, concise.get(), lr, batch, epochs, seed, run.device())),
                    run.seed(), SEEDS);
            s = step(progress, AirfoilRuns.scratch(data, scratch.get(), batch, epochs, run.seed()));
            c = step(progress, AirfoilRuns.concise(data, concise.get(), lr, batch, epochs, run.seed(), run.device()));
        }
        run.say(label + ": from scratch " + s.line() + " | concise " + c.line());
        run.say("  from scratch " + sm.line() + " | concise " + cm.line());
        XYChart chart = lossChart(label, epochs);
        Plots.line(chart, "from scratch", s.epochs(), s.losses());
        Plots.line(chart, "concise (Trainer)", c.epochs(), c.losses());
        run.figure(file, chart, label + ": loss over epochs, from scratch and through the Trainer");
    }
}
