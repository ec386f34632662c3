package io.gradus.optim;

import io.gradus.optim.algorithms.Adadelta;
import io.gradus.optim.algorithms.Adagrad;
import io.gradus.optim.algorithms.Adam;
import io.gradus.optim.algorithms.Adamax;
import io.gradus.optim.algorithms.Lamb;
import io.gradus.optim.algorithms.Lion;
import io.gradus.optim.algorithms.NAdam;
import io.gradus.optim.algorithms.RAdam;
import io.gradus.optim.algorithms.Algorithm;
import io.gradus.optim.algorithms.Momentum;
import io.gradus.optim.algorithms.RmsProp;
import io.gradus.optim.algorithms.Sgd;
import io.gradus.optim.algorithms.Yogi;
import java.util.List;
import java.util.NoSuchElementException;

import static io.gradus.optim.WeightDecay.coupled;
import static io.gradus.optim.WeightDecay.decoupled;
import static io.gradus.optim.WeightDecay.none;

/**
 * Every built-in algorithm, once, with the hyperparameter sets that exercise its options: the
 * list the tests (each implementation against the reference, state included; 1 against 3
 * threads; checkpoints), the benchmarks and the examples iterate over. Adding an algorithm means
 * adding its unit in {@link io.gradus.optim.algorithms} and one line here; a test fails when a unit
 * is missing from this list.
 */
public final class OptimizerCatalog {
    private OptimizerCatalog() {}

    /**
     * One algorithm: its name (what the benchmarks and the command line call it), the book's
     * section, the learning rate the chapter uses with it on airfoil, and its variants (the first
     * is the default; the others switch on each option and weight decay).
     */
    public record Entry(String name, String section, double airfoilRate, List<Algorithm> variants) {
        public Entry {
            if (variants.isEmpty()) throw new IllegalArgumentException(name + ": expected at least one variant");
            variants = List.copyOf(variants);
        }

        /** The default variant. */
        public Algorithm algorithm() {
            return variants.getFirst();
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry("sgd", "11.4", 0.05, List.of(Optimizers.sgd(), Optimizers.sgd().withWeightDecay(coupled(0.01)))),
            new Entry("momentum", "11.6", 0.005, List.of(Optimizers.momentum(), new Momentum(0.5, 0, coupled(0.001), false),
                    new Momentum(0.9, 0.5, coupled(0.001), false))),
            new Entry("nesterov", "11.6", 0.005, List.of(Optimizers.nesterov(), new Momentum(0.9, 0, coupled(0.001), true))),
            new Entry("adagrad", "11.7", 0.1, List.of(Optimizers.adagrad(), new Adagrad(1e-10, false, 0, 0, coupled(0.001)),
                    new Adagrad(1e-10, false, 0.01, 0.1, coupled(0.001)))),
            new Entry("rmsprop", "11.8", 0.01, List.of(Optimizers.rmsprop(), new RmsProp(0.9, 1e-8, false, false, 0, coupled(0.001)),
                    new RmsProp(0.99, 1e-8, false, false, 0.9, coupled(0.001)))),
            new Entry("rmsprop-centered", "11.8", 0.01, List.of(Optimizers.centeredRmsprop(),
                    new RmsProp(0.95, 1e-8, false, true, 0, coupled(0.001)), new RmsProp(0.99, 1e-8, false, true, 0.5, none()))),
            new Entry("adadelta", "11.9", 0, List.of(Optimizers.adadelta(), new Adadelta(0.95, 1e-6, coupled(0.001)))),
            new Entry("adam", "11.10", 0.01, List.of(Optimizers.adam(), new Adam(0.8, 0.99, 1e-8, coupled(0.001), false))),
            new Entry("amsgrad", "11.10", 0.01, List.of(Optimizers.amsgrad(), new Adam(0.9, 0.999, 1e-8, coupled(0.001), true))),
            new Entry("adamw", "11.10", 0.01, List.of(Optimizers.adamW().withWeightDecay(decoupled(0.05)),
                    new Adam(0.9, 0.999, 1e-8, decoupled(0.01), true))),
            new Entry("yogi", "11.10.3", 0.01, List.of(Optimizers.yogi(), new Yogi(0.9, 0.99, 1e-3, coupled(0.001)))),
            // Beyond the chapter ("-" for the section): PyTorch's and the papers' algorithms.
            new Entry("adamax", "-", 0.01, List.of(Optimizers.adamax(), new Adamax(0.8, 0.99, 1e-6, coupled(0.001), false))),
            new Entry("nadam", "-", 0.01, List.of(Optimizers.nadam(), new NAdam(0.9, 0.99, 1e-8, coupled(0.001), 0.004, true))),
            new Entry("radam", "-", 0.03, List.of(Optimizers.radam(), new RAdam(0.9, 0.99, 1e-8, coupled(0.001), 4))),
            new Entry("lion", "-", 0.003, List.of(Optimizers.lion(), new Lion(0.95, 0.98, decoupled(0.1)))),
            new Entry("lamb", "-", 0.01, List.of(Optimizers.lamb(), new Lamb(0.9, 0.99, 1e-6, none(), false, 1, 10))));

    /** Every algorithm, in the chapter's order. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** The entry called {@code name}. */
    public static Entry entry(String name) {
        for (Entry e : ENTRIES) if (e.name().equals(name)) return e;
        throw new NoSuchElementException("algorithm '" + name + "': expected one of "
                + ENTRIES.stream().map(Entry::name).toList());
    }
}
