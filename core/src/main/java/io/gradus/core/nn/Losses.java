package io.gradus.core.nn;

import io.gradus.core.tensor.Tensor;

/** The chapter's losses, per example (callers take the mean or sum, as the book does). */
public final class Losses {
    private Losses() {}

    /** The book's {@code squared_loss}: {@code (y_hat - y)^2 / 2}, y reshaped to y_hat's shape. */
    public static Tensor squared(Tensor yHat, Tensor y) {
        return yHat.sub(y.reshape(yHat.shape())).square().div(2f);
    }

    /**
     * Gluon's {@code L2Loss}: {@code (y_hat - y)^2 / 2} averaged over all but the batch axis, one
     * value per example ({@code [N]}).
     */
    public static Tensor l2(Tensor yHat, Tensor y) {
        Tensor per = squared(yHat, y);
        return per.rank() == 1 ? per : per.reshape(per.dim(0), -1).mean(1, false);
    }

    /** Softmax cross-entropy on logits with class-index labels (see {@link Functional#softmaxCrossEntropy}). */
    public static Tensor softmaxCrossEntropy(Tensor logits, Tensor labels) {
        return Functional.softmaxCrossEntropy(logits, labels);
    }
}
