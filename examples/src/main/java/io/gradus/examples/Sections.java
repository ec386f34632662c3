package io.gradus.examples;

import io.gradus.examples.sections.Adadelta;
import io.gradus.examples.sections.Adagrad;
import io.gradus.examples.sections.Adam;
import io.gradus.examples.sections.Convexity;
import io.gradus.examples.sections.GradientDescent;
import io.gradus.examples.sections.Minibatch;
import io.gradus.examples.sections.Momentum;
import io.gradus.examples.sections.OptimizationAndDeepLearning;
import io.gradus.examples.sections.RmsProp;
import io.gradus.examples.sections.Schedules;
import io.gradus.examples.sections.StochasticGradientDescent;
import java.util.List;

/** Every section of chapter 11, in the book's order. */
public final class Sections {
    private Sections() {}

    public static List<Section> all() {
        return List.of(new OptimizationAndDeepLearning(), new Convexity(), new GradientDescent(),
                new StochasticGradientDescent(), new Minibatch(), new Momentum(), new Adagrad(), new RmsProp(),
                new Adadelta(), new Adam(), new Schedules());
    }
}
