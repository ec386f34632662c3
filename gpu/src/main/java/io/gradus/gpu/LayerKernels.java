package io.gradus.gpu;

import com.aparapi.Kernel;
import io.gradus.kernels.Parallel;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-element kernels of {@link DeviceNetwork}'s convolution, pooling and activation layers,
 * each written once in Java as the body of a {@link LayerKernel}: on an OpenCL device
 * {@link JavaKernel} translates it (Aparapi's translator, {@code FP_CONTRACT OFF}), on the host
 * device the same {@code apply} runs over the range on {@link Parallel#common()}. So pocl and the
 * host give the same bits for everything but {@code exp} (the sigmoid), whose OpenCL and Java
 * roundings may differ in the last place.
 *
 * <p>One work-item per output element, each summing its terms in a fixed order (no atomics):
 * results do not depend on the device's scheduling. Sums over the batch (a convolution's weight
 * and bias gradients) are done in two steps: a partial per example here, then
 * {@link DeviceNn#columnSums} over the examples, so that a layer with 150 weights still has
 * {@code N * 150} work-items.
 *
 * <p>Bodies follow {@link JavaKernel}'s rules: {@code float}/{@code int} fields and locals, every
 * local declared at the top of the method, {@code float[]} fields bound by name at each launch.
 */
final class LayerKernels {
    private LayerKernels() {}

    /** Work-items per work-group on an OpenCL device. */
    static final int GROUP = 128;
    /** Elements per host task. */
    private static final int HOST_CHUNK = 4096;

    /** Activation codes of the bodies' {@code act} fields. */
    static final int NONE = 0, RELU = 1, SIGMOID = 2;

    static int code(DeviceLayer.Activation a) {
        return switch (a) {
            case NONE -> NONE;
            case RELU -> RELU;
            case SIGMOID -> SIGMOID;
        };
    }

    /** A body run once per element of {@code [0, n)}. */
    abstract static class LayerKernel extends Kernel {
        /** The number of elements (the device's range is rounded up to whole work-groups). */
        int n;

        /** The element {@code i}'s output. */
        abstract void apply(int i);

        @Override
        public void run() {
            int i = getGlobalId();
            if (i < n) apply(i);
        }

        /** {@code act(z)} for the activation code {@code act}. */
        float activate(float z, int act) {
            float out = z;
            if (act == 1) out = z > 0f ? z : 0f;
            if (act == 2) out = 1f / (1f + exp(-z));
            return out;
        }
    }

    /**
     * A body over images {@code [N, C, H, W]} and windows of {@code k x k} moved by {@code s} with
     * {@code pad} zeros around: the geometry every convolution and pooling kernel reads (an output
     * of {@code o} channels of {@code oh x ow}; x from {@code xOff}, weight and bias from {@code wOff}
     * and {@code bOff} in the parameters).
     */
    abstract static class WindowKernel extends LayerKernel {
        int xOff, wOff, bOff, c, h, w, o, oh, ow, k, s, pad;
    }

    /**
     * Runs {@code body} over {@code [0, n)} on {@code ctx}: each array field of the body bound to the
     * array given under its name (the host device: to that array's Java storage).
     */
    static void launch(DeviceContext ctx, LayerKernel body, int n, Map<String, DeviceArray> arrays) {
        if (n == 0) return;
        body.n = n;
        if (ctx.isOpenCL()) {
            JavaKernel.of(body.getClass()).launch(ctx, body, n, GROUP, arrays);
            return;
        }
        Field[] fields = ARRAY_FIELDS.computeIfAbsent(body.getClass(), LayerKernels::arrayFields);
        try {
            for (Field f : fields) {
                DeviceArray a = arrays.get(f.getName());
                f.set(body, a == null ? null : a.host());
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("kernel " + body.getClass().getName() + ": cannot bind its arrays", e);
        }
        int tasks = (n + HOST_CHUNK - 1) / HOST_CHUNK;
        Parallel.common().forEach(tasks, t -> {
            int end = Math.min(n, (t + 1) * HOST_CHUNK);
            for (int i = t * HOST_CHUNK; i < end; i++) body.apply(i);
        });
    }

    private static final Map<Class<?>, Field[]> ARRAY_FIELDS = new ConcurrentHashMap<>();

    private static Field[] arrayFields(Class<?> type) {
        return java.util.Arrays.stream(type.getDeclaredFields()).filter(f -> f.getType() == float[].class)
                .peek(f -> f.setAccessible(true)).toArray(Field[]::new);
    }

    /**
     * {@code y[n,o,i,j] = act(sum_{c,p,q} w[o,c,p,q] x[n,c,i s - pad + p, j s - pad + q] + b[o])},
     * one element of y each; weight and bias read from {@code params} at {@code wOff}, {@code bOff}.
     */
    static final class ConvForward extends WindowKernel {
        float[] x, params, y;
        int act;

        @Override
        void apply(int i) {
            int oj = 0, oi = 0, ch = 0, img = 0, cin = 0, p = 0, q = 0, wBase = 0, xBase = 0, pLo = 0, pHi = 0, qLo = 0, qHi = 0;
            float sum = 0f;
            oj = i % ow;
            oi = (i / ow) % oh;
            ch = (i / (ow * oh)) % o;
            img = i / (ow * oh * o);
            // the kernel rows and columns that land inside the image: no test in the inner loop
            pLo = max(0, pad - oi * s);
            pHi = min(k, h + pad - oi * s);
            qLo = max(0, pad - oj * s);
            qHi = min(k, w + pad - oj * s);
            for (cin = 0; cin < c; cin++) {
                wBase = wOff + (ch * c + cin) * k * k;
                xBase = xOff + (img * c + cin) * h * w + (oi * s - pad) * w + oj * s - pad;
                for (p = pLo; p < pHi; p++) {
                    for (q = qLo; q < qHi; q++) sum = sum + params[wBase + p * k + q] * x[xBase + p * w + q];
                }
            }
            y[i] = activate(sum + params[bOff + ch], act);
        }
    }

    /**
     * The convolution's input gradient: {@code dx[n,c,u,v] = sum over (o, p, q) with
     * u = i s - pad + p, v = j s - pad + q inside the output of w[o,c,p,q] dz[n,o,i,j]}.
     */
    static final class ConvInputGradient extends WindowKernel {
        float[] dz, params, dx;

        @Override
        void apply(int i) {
            int xx = 0, yy = 0, cin = 0, img = 0, ch = 0, oi = 0, oj = 0, oiLo = 0, oiHi = 0, ojLo = 0, ojHi = 0, wBase = 0, zBase = 0;
            float sum = 0f;
            xx = i % w;
            yy = (i / w) % h;
            cin = (i / (w * h)) % c;
            img = i / (w * h * c);
            // the outputs (oi, oj) whose window holds (yy, xx): kernel row p = yy + pad - oi s in [0, k)
            oiLo = yy + pad - k + 1 <= 0 ? 0 : (yy + pad - k + s) / s;
            oiHi = min(oh - 1, (yy + pad) / s);
            ojLo = xx + pad - k + 1 <= 0 ? 0 : (xx + pad - k + s) / s;
            ojHi = min(ow - 1, (xx + pad) / s);
            for (ch = 0; ch < o; ch++) {
                wBase = wOff + (ch * c + cin) * k * k + (yy + pad) * k + xx + pad;
                zBase = (img * o + ch) * oh * ow;
                for (oi = oiLo; oi <= oiHi; oi++) {
                    for (oj = ojLo; oj <= ojHi; oj++) {
                        sum = sum + params[wBase - oi * s * k - oj * s] * dz[zBase + oi * ow + oj];
                    }
                }
            }
            dx[i] = sum;
        }
    }

    /**
     * One example's share of the convolution's weight gradient:
     * {@code partial[n, o, c, p, q] = sum_{i,j} dz[n,o,i,j] x[n,c,i s - pad + p, j s - pad + q]};
     * the sum over n follows in {@link DeviceNn#columnSums}.
     */
    static final class ConvWeightPartial extends WindowKernel {
        float[] dz, x, partial;

        @Override
        void apply(int i) {
            int q = 0, p = 0, cin = 0, ch = 0, img = 0, oi = 0, oj = 0, zBase = 0, xBase = 0, oiLo = 0, oiHi = 0, ojLo = 0, ojHi = 0;
            float sum = 0f;
            q = i % k;
            p = (i / k) % k;
            cin = (i / (k * k)) % c;
            ch = (i / (k * k * c)) % o;
            img = i / (k * k * c * o);
            // the outputs whose input row oi s - pad + p (column oj s - pad + q) lies inside the image
            oiLo = pad - p <= 0 ? 0 : (pad - p + s - 1) / s;
            oiHi = h - 1 + pad - p < 0 ? -1 : min(oh - 1, (h - 1 + pad - p) / s); // Java's / truncates: no negative numerator
            ojLo = pad - q <= 0 ? 0 : (pad - q + s - 1) / s;
            ojHi = w - 1 + pad - q < 0 ? -1 : min(ow - 1, (w - 1 + pad - q) / s);
            zBase = (img * o + ch) * oh * ow;
            xBase = xOff + (img * c + cin) * h * w + (p - pad) * w + q - pad;
            for (oi = oiLo; oi <= oiHi; oi++) {
                for (oj = ojLo; oj <= ojHi; oj++) sum = sum + dz[zBase + oi * ow + oj] * x[xBase + oi * s * w + oj * s];
            }
            partial[i] = sum;
        }
    }

    /** One example's share of a bias gradient: {@code partial[n, o] = sum_j dz[n, o, j]} over {@code plane} values. */
    static final class PlaneSums extends LayerKernel {
        float[] dz, partial;
        int plane;

        @Override
        void apply(int i) {
            int j = 0, base = 0;
            float sum = 0f;
            base = i * plane;
            for (j = 0; j < plane; j++) sum = sum + dz[base + j];
            partial[i] = sum;
        }
    }

    /** {@code y[r, c] = act(y[r, c] + b[c])} over a {@code rows x cols} matrix, b in {@code params} at {@code bOff}. */
    static final class BiasActivation extends LayerKernel {
        float[] y, params;
        int bOff, cols, act;

        @Override
        void apply(int i) {
            y[i] = activate(y[i] + params[bOff + i % cols], act);
        }
    }

    /**
     * The gradient through an activation, from its output y: ReLU {@code d = y > 0 ? d : 0},
     * sigmoid {@code d = d * (y * (1 - y))} (core's order of operations).
     */
    static final class ActivationBackward extends LayerKernel {
        float[] d, y;
        int act;

        @Override
        void apply(int i) {
            float yi = 0f;
            yi = y[i];
            if (act == 1 && !(yi > 0f)) d[i] = 0f;
            if (act == 2) d[i] = d[i] * (yi * (1f - yi));
        }
    }

    /**
     * Max pooling: {@code y[n,c,i,j]} = the largest of the {@code k x k} window at
     * {@code (i s, j s)}, or with {@code mean == 1} their mean (the sum in row-major order, divided
     * by {@code k * k}).
     */
    static final class PoolForward extends WindowKernel {
        float[] x, y;
        int mean;

        @Override
        void apply(int i) {
            int oj = 0, oi = 0, plane = 0, base = 0, p = 0, q = 0;
            float best = 0f, v = 0f, sum = 0f;
            oj = i % ow;
            oi = (i / ow) % oh;
            plane = i / (ow * oh);
            base = xOff + plane * h * w + oi * s * w + oj * s;
            best = x[base];
            for (p = 0; p < k; p++) {
                for (q = 0; q < k; q++) {
                    v = x[base + p * w + q];
                    sum = sum + v;
                    if (v > best) best = v;
                }
            }
            y[i] = mean == 1 ? sum / (float) (k * k) : best;
        }
    }

    /**
     * The pooling's input gradient: {@code dx[n,c,u,v] = sum over the windows that hold (u, v)} of
     * their output gradient, where (u, v) is the window's first maximum in row-major order (max),
     * or divided by {@code k * k} (mean); windows in row-major order.
     */
    static final class PoolBackward extends WindowKernel {
        float[] x, dy, dx;
        int mean;

        @Override
        void apply(int i) {
            int xx = 0, yy = 0, plane = 0, oiLo = 0, oiHi = 0, ojLo = 0, ojHi = 0, oi = 0, oj = 0, base = 0, p = 0, q = 0;
            int bestAt = 0;
            float sum = 0f, best = 0f, v = 0f, g = 0f;
            xx = i % w;
            yy = (i / w) % h;
            plane = i / (w * h);
            oiLo = yy - k + 1 <= 0 ? 0 : (yy - k + s) / s;
            oiHi = yy / s < oh - 1 ? yy / s : oh - 1;
            ojLo = xx - k + 1 <= 0 ? 0 : (xx - k + s) / s;
            ojHi = xx / s < ow - 1 ? xx / s : ow - 1;
            for (oi = oiLo; oi <= oiHi; oi++) {
                for (oj = ojLo; oj <= ojHi; oj++) {
                    g = dy[(plane * oh + oi) * ow + oj];
                    if (mean == 1) {
                        sum = sum + g / (float) (k * k);
                    } else {
                        base = plane * h * w + oi * s * w + oj * s;
                        bestAt = base;
                        best = x[xOff + base];
                        for (p = 0; p < k; p++) {
                            for (q = 0; q < k; q++) {
                                v = x[xOff + base + p * w + q];
                                if (v > best) {
                                    best = v;
                                    bestAt = base + p * w + q;
                                }
                            }
                        }
                        if (bestAt == plane * h * w + yy * w + xx) sum = sum + g;
                    }
                }
            }
            dx[i] = sum;
        }
    }
}
