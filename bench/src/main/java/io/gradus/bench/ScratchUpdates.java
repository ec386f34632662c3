package io.gradus.bench;

import io.gradus.core.tensor.Tensor;

/**
 * The book's from-scratch optimizers of sections 11.5-11.10, written out with the public Tensor
 * API line by line as the book writes them with NumPy: what the examples' sections run beside the
 * library's fused kernels ({@code io.gradus.optim.Optimizers}), and what {@link OptimizerBench}'s
 * {@code tensorApiStep} measures against them. One implementation for both (bench may not import
 * examples; examples may import bench).
 */
public final class ScratchUpdates {

    private ScratchUpdates() {}

    /**
     * A from-scratch update of one parameter: given its value p, gradient g and state tensors (which
     * it replaces in {@code state}), returns p's new value. Written with the public Tensor API as the
     * book's functions are written with NumPy.
     */
    public interface ScratchUpdate {
        /** How many state tensors each parameter needs (momentum 1, Adam 2, ...). */
        int stateSlots();

        Tensor update(Tensor p, Tensor g, Tensor[] state);

        /** Called once after every parameter was updated (Adam's {@code t += 1}). */
        default void endStep() {}
    }

    /** 11.5 {@code sgd}: {@code p -= lr g}. */
    public static ScratchUpdate sgd(double lr) {
        return stateless((p, g) -> p.sub(g.mul((float) lr)));
    }

    /** 11.6 {@code sgd_momentum}: {@code v = beta v + g; p -= lr v}. */
    public static ScratchUpdate momentum(double lr, double beta) {
        return new Update(1, (p, g, s) -> {
            s[0] = s[0].mul((float) beta).add(g);
            return p.sub(s[0].mul((float) lr));
        });
    }

    /** 11.7 {@code adagrad}: {@code s += g^2; p -= lr g / sqrt(s + eps)}, eps = 1e-6. */
    public static ScratchUpdate adagrad(double lr) {
        return new Update(1, (p, g, s) -> {
            s[0] = s[0].add(g.square());
            return p.sub(g.mul((float) lr).div(s[0].add(1e-6f).sqrt()));
        });
    }

    /** 11.8 {@code rmsprop}: {@code s = gamma s + (1 - gamma) g^2; p -= lr g / sqrt(s + eps)}, eps = 1e-6. */
    public static ScratchUpdate rmsprop(double lr, double gamma) {
        return new Update(1, (p, g, s) -> {
            s[0] = s[0].mul((float) gamma).add(g.square().mul((float) (1 - gamma)));
            return p.sub(g.mul((float) lr).div(s[0].add(1e-6f).sqrt()));
        });
    }

    /**
     * 11.9 {@code adadelta} as the book's code: {@code s = rho s + (1 - rho) g^2;
     * g' = sqrt(delta + eps) / sqrt(s + eps) g; p -= g'; delta = rho delta + (1 - rho) g'^2}, eps = 1e-5.
     */
    public static ScratchUpdate adadelta(double rho) {
        return new Update(2, (p, g, s) -> {
            s[0] = s[0].mul((float) rho).add(g.square().mul((float) (1 - rho)));
            Tensor rescaled = s[1].add(1e-5f).sqrt().div(s[0].add(1e-5f).sqrt()).mul(g);
            s[1] = s[1].mul((float) rho).add(rescaled.mul(rescaled).mul((float) (1 - rho)));
            return p.sub(rescaled);
        });
    }

    /** 11.10 {@code adam}: bias-corrected moments, eps = 1e-6 outside the square root, t from 1. */
    public static ScratchUpdate adam(double lr) {
        return new AdamFamily(lr, 1e-6, false);
    }

    /** 11.10.3 {@code yogi}: {@code s += (1 - beta2) sign(g^2 - s) g^2}, eps = 1e-3. */
    public static ScratchUpdate yogi(double lr) {
        return new AdamFamily(lr, 1e-3, true);
    }

    private interface Rule {
        Tensor apply(Tensor p, Tensor g, Tensor[] state);
    }

    private record Update(int stateSlots, Rule rule) implements ScratchUpdate {
        @Override
        public Tensor update(Tensor p, Tensor g, Tensor[] state) {
            return rule.apply(p, g, state);
        }
    }

    private static ScratchUpdate stateless(java.util.function.BinaryOperator<Tensor> rule) {
        return new Update(0, (p, g, s) -> rule.apply(p, g));
    }

    /** Adam and Yogi share all but the second-moment update; the step counter lives here as the book's {@code hyperparams['t']}. */
    private static final class AdamFamily implements ScratchUpdate {
        private static final double BETA1 = 0.9, BETA2 = 0.999;
        private final double lr, eps;
        private final boolean yogi;
        private long t = 1;

        AdamFamily(double lr, double eps, boolean yogi) {
            this.lr = lr;
            this.eps = eps;
            this.yogi = yogi;
        }

        @Override
        public int stateSlots() {
            return 2;
        }

        @Override
        public Tensor update(Tensor p, Tensor g, Tensor[] s) {
            s[0] = s[0].mul((float) BETA1).add(g.mul((float) (1 - BETA1)));
            Tensor g2 = g.square();
            s[1] = yogi
                    ? s[1].add(g2.sub(s[1]).sign().mul(g2).mul((float) (1 - BETA2)))
                    : s[1].mul((float) BETA2).add(g2.mul((float) (1 - BETA2)));
            Tensor vHat = s[0].div((float) (1 - Math.pow(BETA1, t)));
            Tensor sHat = s[1].div((float) (1 - Math.pow(BETA2, t)));
            return p.sub(vHat.mul((float) lr).div(sHat.sqrt().add((float) eps)));
        }

        @Override
        public void endStep() {
            t++;
        }
    }
}
