package io.gradus.examples.sections;

import io.gradus.bench.DeviceThroughput;
import io.gradus.bench.ScratchUpdates;
import io.gradus.bench.ThroughputTable;
import io.gradus.core.data.ArrayDataset;
import io.gradus.examples.AirfoilRuns;
import io.gradus.gpu.DeviceContext;
import io.gradus.gpu.DeviceProbe;
import io.gradus.examples.AirfoilRuns.Curve;
import io.gradus.examples.Plots;
import io.gradus.examples.Progress;
import io.gradus.examples.PyFormat;
import io.gradus.examples.Run;
import io.gradus.examples.Section;
import io.gradus.optim.Optimizers;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * 11.5: the element / column / block / full throughput table (the bench module's JMH run, and the
 * same four ways on the OpenCL device when there is one), and
 * minibatch SGD on airfoil: gradient descent, SGD, batches of 100 and 10, over epochs and over time.
 */
public final class Minibatch implements Section {

    @Override public String name() { return "minibatch"; }

    @Override public String title() { return "11.5 Minibatch Stochastic Gradient Descent"; }

    @Override public String description() {
        return "the GFLOPS table (JMH) and GD, SGD, batch 100 and batch 10 on airfoil, over epochs and over time";
    }

    /** One of the book's four runs: {@code train_sgd(lr, batch_size, num_epochs)}. */
    public record Config(String name, double lr, int batch, int epochs) {}

    public static final List<Config> CONFIGS = List.of(
            new Config("gd", 1, 1500, 10),
            new Config("sgd", 0.005, 1, 2),
            new Config("batch size=100", 0.4, 100, 2),
            new Config("batch size=10", 0.05, 10, 2));

    @Override
    public void run(Run run) throws Exception {
        String[] jmh = run.quick()
                ? new String[] {"-f", "0", "-wi", "1", "-i", "2", "-w", "300ms", "-r", "300ms"}
                : new String[0];
        run.say("A = B C, n = 1024, four ways, measured with JMH" + (run.quick() ? " (--quick: short, in-process)" : "") + ":");
        ThroughputTable.Table table = ThroughputTable.measure(jmh, run.outDir().resolve("11.5-throughput-jmh.json"));
        for (String line : table.lines()) run.say(line);
        if (DeviceProbe.selected().isOpenCL()) {
            DeviceContext device = DeviceContext.shared();
            run.say("The same on the OpenCL device, " + device.device().describe() + " (element: "
                    + DeviceThroughput.ELEMENT_ROWS + " rows, one launch per element):");
            for (String line : DeviceThroughput.lines(device)) run.say(line);
        }

        ArrayDataset data = AirfoilFigures.data(run);
        List<Curve> curves = new ArrayList<>();
        for (Config c : CONFIGS) {
            // The seeds first: they also warm the JIT up, so the timed run reports steady-state seconds.
            AirfoilRuns.SeedSummary seeds;
            Curve curve;
            try (Progress progress = run.progress(c.name(), AirfoilFigures.SEEDS + 1)) {
                seeds = AirfoilRuns.overSeeds(seed -> AirfoilFigures.step(progress,
                        AirfoilRuns.scratch(data, ScratchUpdates.sgd(c.lr()), c.batch(), c.epochs(), seed)), run.seed(),
                        AirfoilFigures.SEEDS);
                curve = AirfoilFigures.step(progress,
                        AirfoilRuns.scratch(data, ScratchUpdates.sgd(c.lr()), c.batch(), c.epochs(), run.seed()));
            }
            curves.add(curve);
            run.say("train_sgd(" + PyFormat.repr(c.lr()).replaceAll("\\.0$", "") + ", " + c.batch()
                    + (c.epochs() != 2 ? ", " + c.epochs() : "") + ") " + c.name() + ": " + curve.line());
            run.say("  " + seeds.line());
            XYChart chart = AirfoilFigures.lossChart(c.name() + ", lr " + c.lr() + ", batch " + c.batch(), c.epochs());
            chart.getStyler().setLegendVisible(false);
            Plots.line(chart, "loss", curve.epochs(), curve.losses());
            run.figure("11.5-" + c.name().replace(" size=", "-").replace(' ', '-'), chart,
                    c.name() + ": full-data loss over epochs");
        }
        XYChart time = Plots.chart("Loss over training time", "time (sec)", "loss");
        time.getStyler().setXAxisLogarithmic(true);
        for (int i = 0; i < curves.size(); i++) Plots.line(time, CONFIGS.get(i).name(), curves.get(i).seconds(), curves.get(i).losses());
        run.figure("11.5-loss-over-time", time, "Loss against training seconds (log axis): minibatches win on time");

        AirfoilRuns.concise(data, Optimizers.sgd(), 0.05, 10, 2, run.seed() + 1, run.device()); // warm-up, not shown
        Curve concise = AirfoilRuns.concise(data, Optimizers.sgd(), 0.05, 10, 2, run.seed(), run.device());
        run.say("train_gluon_ch11('sgd', lr 0.05), batch 10: " + concise.line());
    }
}
