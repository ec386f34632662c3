package io.gradus.optim;

import io.gradus.optim.algorithms.Adadelta;
import io.gradus.optim.algorithms.Adagrad;
import io.gradus.optim.algorithms.Adam;
import io.gradus.optim.algorithms.Adamax;
import io.gradus.optim.algorithms.Lamb;
import io.gradus.optim.algorithms.Lion;
import io.gradus.optim.algorithms.NAdam;
import io.gradus.optim.algorithms.RAdam;
import io.gradus.optim.algorithms.Momentum;
import io.gradus.optim.algorithms.RmsProp;
import io.gradus.optim.algorithms.Sgd;
import io.gradus.optim.algorithms.Yogi;

/**
 * The algorithms of chapter 11 with the book's defaults, and the ones users reach for next with
 * PyTorch's or the papers' (README.md has the table of every factory beside PyTorch's and Optax's
 * names and defaults). Change a setting by name on the record,
 * for example {@code Optimizers.adam().withBetas(0.9, 0.99).withWeightDecay(WeightDecay.coupled(1e-4))}. Each record states
 * its update rule, its paper and the book's section ({@link io.gradus.optim.algorithms}).
 *
 * <p>Where the book's convention differs from PyTorch's, the book's is the default and a setting
 * selects the other: eps inside the square root for Adagrad and RMSProp ({@code withEpsInside(false)}
 * for PyTorch's), Adam's eps 1e-6 (PyTorch: 1e-8), Yogi's zero initial state.
 */
public final class Optimizers {
    private Optimizers() {}

    /** Minibatch SGD (11.4-11.5): {@code x -= lr g'}. */
    public static Sgd sgd() {
        return new Sgd(WeightDecay.none());
    }

    /** Momentum (11.6), beta 0.9. */
    public static Momentum momentum() {
        return new Momentum(0.9, 0, WeightDecay.none(), false);
    }

    /** Nesterov momentum (PyTorch's form), beta 0.9. */
    public static Momentum nesterov() {
        return momentum().withNesterov(true);
    }

    /** Adagrad (11.7), eps 1e-6 inside the square root. */
    public static Adagrad adagrad() {
        return new Adagrad(1e-6, true, 0, 0, WeightDecay.none());
    }

    /** RMSProp (11.8), gamma 0.9, eps 1e-6 inside the square root. */
    public static RmsProp rmsprop() {
        return new RmsProp(0.9, 1e-6, true, false, 0, WeightDecay.none());
    }

    /** Centered RMSProp (Graves 2013), otherwise as {@link #rmsprop()}. */
    public static RmsProp centeredRmsprop() {
        return rmsprop().withCentered(true);
    }

    /** Adadelta (11.9), rho 0.9, eps 1e-5; ignores the learning rate. */
    public static Adadelta adadelta() {
        return new Adadelta(0.9, 1e-5, WeightDecay.none());
    }

    /** Adam (11.10), beta1 0.9, beta2 0.999, eps 1e-6. */
    public static Adam adam() {
        return new Adam(0.9, 0.999, 1e-6, WeightDecay.none(), false);
    }

    /** AMSGrad (Reddi et al. 2018): Adam with the running maximum of the second moment. */
    public static Adam amsgrad() {
        return adam().withAmsgrad(true);
    }

    /**
     * AdamW (Loshchilov and Hutter 2019): Adam with decoupled weight decay 0.01 (PyTorch's default);
     * otherwise as {@link #adam()}. Another decay: {@code adamW().withWeightDecay(WeightDecay.decoupled(0.1))}.
     */
    public static Adam adamW() {
        return adam().withWeightDecay(WeightDecay.decoupled(0.01));
    }

    /** Yogi (11.10.3), beta1 0.9, beta2 0.999, eps 1e-3, zero initial state. */
    public static Yogi yogi() {
        return new Yogi(0.9, 0.999, 1e-3, WeightDecay.none());
    }

    // ----- beyond the chapter: what PyTorch and Optax users reach for next -----

    /** Adamax (Kingma and Ba 2014, 7.1), PyTorch's defaults: beta1 0.9, beta2 0.999, eps 1e-8 inside the max. */
    public static Adamax adamax() {
        return new Adamax(0.9, 0.999, 1e-8, WeightDecay.none(), true);
    }

    /** NAdam (Dozat 2016), PyTorch's defaults, the paper's momentum product. */
    public static NAdam nadam() {
        return new NAdam(0.9, 0.999, 1e-8, WeightDecay.none(), 0.004, false);
    }

    /** RAdam (Liu et al. 2020), PyTorch's defaults: threshold 5. */
    public static RAdam radam() {
        return new RAdam(0.9, 0.999, 1e-8, WeightDecay.none(), 5);
    }

    /**
     * Lion (Chen et al. 2023), the paper's betas 0.9 and 0.99, no weight decay (its decay is
     * decoupled: {@code lion().withWeightDecay(WeightDecay.decoupled(1.0))}, the paper's lambda 3-10x
     * AdamW's with a rate 3-10x smaller).
     */
    public static Lion lion() {
        return new Lion(0.9, 0.99, WeightDecay.none());
    }

    /** LAMB (You et al. 2020), the paper's defaults: beta1 0.9, beta2 0.999, eps 1e-6, decoupled weight decay 0.01. */
    public static Lamb lamb() {
        return new Lamb(0.9, 0.999, 1e-6, WeightDecay.decoupled(0.01), true, 0, Double.POSITIVE_INFINITY);
    }
}
