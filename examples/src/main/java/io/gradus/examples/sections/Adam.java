package io.gradus.examples.sections;

import io.gradus.bench.ScratchUpdates;
import io.gradus.core.data.ArrayDataset;
import io.gradus.examples.Run;
import io.gradus.examples.Section;
import io.gradus.optim.Optimizers;

/** 11.10: Adam (eps 1e-6 outside the square root, t from 1) and Yogi (eps 1e-3) on airfoil, lr 0.01. */
public final class Adam implements Section {

    @Override public String name() { return "adam"; }

    @Override public String title() { return "11.10 Adam"; }

    @Override public String description() {
        return "Adam and Yogi on airfoil (lr 0.01) from scratch and concise";
    }

    @Override
    public void run(Run run) throws Exception {
        ArrayDataset data = AirfoilFigures.data(run);
        AirfoilFigures.scratchAndConcise(run, data, "11.10-airfoil-adam", "adam lr 0.01",
                () -> ScratchUpdates.adam(0.01), () -> Optimizers.adam(), 0.01);
        AirfoilFigures.scratchAndConcise(run, data, "11.10-airfoil-yogi", "yogi lr 0.01",
                () -> ScratchUpdates.yogi(0.01), () -> Optimizers.yogi(), 0.01);
    }
}
