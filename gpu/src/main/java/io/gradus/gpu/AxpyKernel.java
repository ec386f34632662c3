package io.gradus.gpu;

import com.aparapi.Kernel;

/**
 * {@code y[yOff + i] += alpha * x[xOff + i]} for {@code i < n}: one work-item per element. The
 * launch range is rounded up to a whole number of work-groups and the extra work-items do
 * nothing: Aparapi 3.0.0 picks a work-group size that does not divide an odd range on its Java
 * thread pool and silently drops the last element, and on OpenCL a prime range would otherwise
 * force work-groups of one. A top-level class on purpose: Aparapi reads the kernel's bytecode, and anonymous or
 * nested kernel classes make it log NestHost warnings on recent JDKs.
 */
public final class AxpyKernel extends Kernel {
    float alpha;
    float[] x;
    int xOff;
    float[] y;
    int yOff;
    int n;

    void bind(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        this.n = n;
        this.alpha = alpha;
        this.x = x;
        this.xOff = xOff;
        this.y = y;
        this.yOff = yOff;
    }

    @Override
    public void run() {
        int i = getGlobalId();
        if (i < n) {
            y[yOff + i] = y[yOff + i] + alpha * x[xOff + i];
        }
    }
}
