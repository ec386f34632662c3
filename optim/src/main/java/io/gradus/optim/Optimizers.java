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
 * The algorithms of chapter 11 with the book's defaults; change a setting by name on the record,
 * for example {@code Optimizers.adam().withBeta2(0.99).withWeightDecay(1e-4)}. Each record states
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
        return new Sgd();
    }

    /** Momentum (11.6), beta 0.9. */
    public static Momentum momentum() {
        return new Momentum();
    }

    /** Nesterov momentum (PyTorch's form), beta 0.9. */
    public static Momentum nesterov() {
        return new Momentum().withNesterov(true);
    }

    /** Adagrad (11.7), eps 1e-6 inside the square root. */
    public static Adagrad adagrad() {
        return new Adagrad();
    }

    /** RMSProp (11.8), gamma 0.9, eps 1e-6 inside the square root. */
    public static RmsProp rmsprop() {
        return new RmsProp();
    }

    /** Centered RMSProp (Graves 2013), otherwise as {@link #rmsprop()}. */
    public static RmsProp centeredRmsprop() {
        return new RmsProp().withCentered(true);
    }

    /** Adadelta (11.9), rho 0.9, eps 1e-5; ignores the learning rate. */
    public static Adadelta adadelta() {
        return new Adadelta();
    }

    /** Adam (11.10), beta1 0.9, beta2 0.999, eps 1e-6. */
    public static Adam adam() {
        return new Adam();
    }

    /** AMSGrad (Reddi et al. 2018): Adam with the running maximum of the second moment. */
    public static Adam amsgrad() {
        return new Adam().withAmsgrad(true);
    }

    /** AdamW (Loshchilov and Hutter 2019) with decoupled weight decay {@code weightDecay}. */
    public static Adam adamW(double weightDecay) {
        return new Adam().withDecoupled(true).withWeightDecay(weightDecay);
    }

    /** Yogi (11.10.3), beta1 0.9, beta2 0.999, eps 1e-3, zero initial state. */
    public static Yogi yogi() {
        return new Yogi();
    }

    // ----- beyond the chapter: what PyTorch and Optax users reach for next -----

    /** Adamax (Kingma and Ba 2014, 7.1), PyTorch's defaults: beta1 0.9, beta2 0.999, eps 1e-8 inside the max. */
    public static Adamax adamax() {
        return new Adamax();
    }

    /** NAdam (Dozat 2016), PyTorch's defaults, the paper's momentum product. */
    public static NAdam nadam() {
        return new NAdam();
    }

    /** RAdam (Liu et al. 2020), PyTorch's defaults: threshold 5. */
    public static RAdam radam() {
        return new RAdam();
    }

    /** Lion (Chen et al. 2023), the paper's betas 0.9 and 0.99, decoupled {@code weightDecay}. */
    public static Lion lion(double weightDecay) {
        return new Lion().withWeightDecay(weightDecay);
    }

    /** LAMB (You et al. 2020), the paper's defaults: beta1 0.9, beta2 0.999, eps 1e-6, decoupled weight decay 0.01. */
    public static Lamb lamb() {
        return new Lamb();
    }
}
