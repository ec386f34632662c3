package io.gradus.optim.algorithms;

/**
 * The part of a body that Adam's family shares (Adam, AMSGrad, AdamW, NAdam, RAdam, Yogi, Adamax,
 * LAMB): the first moment {@code m <- beta1 m + (1 - beta1) g'} and, for most, the second
 * {@code v <- beta2 v + (1 - beta2) g'^2}, with their constants rounded once from double.
 */
abstract class MomentRule extends UpdateKernel {
    /** The first and second moments (Adamax's {@code u} is its {@code v}). */
    float[] m, v;
    /** {@code beta1, beta2, 1 - beta1, 1 - beta2} (each rounded once from double) and {@code eps}. */
    float b1, b2, rest1, rest2, eps;

    MomentRule(String... stateFields) {
        super(stateFields);
    }

    /** Sets the moments' constants: {@code (float) (1 - beta)}, never {@code 1f - (float) beta}. */
    final void setMoments(double beta1, double beta2, double epsilon) {
        b1 = (float) beta1;
        b2 = (float) beta2;
        rest1 = (float) (1 - beta1);
        rest2 = (float) (1 - beta2);
        eps = (float) epsilon;
    }

    /** {@code m_i <- beta1 m_i + (1 - beta1) gi}; returns the new {@code m_i}. */
    float firstMoment(int i, float gi) {
        float mi = 0f;
        mi = b1 * m[i] + rest1 * gi;
        m[i] = mi;
        return mi;
    }

    /** {@code v_i <- beta2 v_i + (1 - beta2) gi^2}; returns the new {@code v_i}. */
    float secondMoment(int i, float gi) {
        float vi = 0f;
        vi = b2 * v[i] + rest2 * (gi * gi);
        v[i] = vi;
        return vi;
    }
}
