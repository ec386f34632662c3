package io.gradus.examples.sections;

import io.gradus.bench.ScratchUpdates;
import io.gradus.examples.Run;
import io.gradus.examples.Section;
import io.gradus.optim.Optimizers;

/**
 * 11.9: Adadelta on airfoil, rho 0.9, eps 1e-5, no learning rate. As the book's code (not its
 * printed formula 11.9.1), the second accumulator takes the rescaled gradient g'^2 (book/NOTES.md).
 */
public final class Adadelta implements Section {

    @Override public String name() { return "adadelta"; }

    @Override public String title() { return "11.9 Adadelta"; }

    @Override public String description() {
        return "Adadelta on airfoil (rho 0.9) from scratch and concise";
    }

    @Override
    public void run(Run run) throws Exception {
        AirfoilFigures.scratchAndConcise(run, AirfoilFigures.data(run), "11.9-airfoil", "adadelta rho 0.9",
                () -> ScratchUpdates.adadelta(0.9), () -> Optimizers.adadelta(), 0);
    }
}
