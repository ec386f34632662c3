package io.gradus.core.nn;

import io.gradus.core.tensor.Autograd;
import io.gradus.core.tensor.Tensor;
import io.gradus.kernels.Parallel;
import io.gradus.kernels.gemm.Gemm;
import java.util.Arrays;

/**
 * The differentiable operations of the layers, each with its backward pass: 2-D convolution
 * (im2col + SGEMM), max and average pooling and softmax cross-entropy. Layers call these; so can users.
 */
public final class Functional {
    private Functional() {}

    private static Tensor dense(Tensor t) {
        return t.isContiguous() ? t : t.detach().contiguous();
    }

    /**
     * 2-D cross-correlation, as deep-learning libraries define convolution:
     * {@code y[n,o,i,j] = b[o] + sum_{c,p,q} w[o,c,p,q] x[n,c,i*s-pad+p, j*s-pad+q]} (zero outside x).
     *
     * @param x      {@code [N, C, H, W]}
     * @param w      {@code [O, C, KH, KW]}
     * @param b      {@code [O]}, or null
     * @param stride s >= 1
     * @param pad    zero padding on every side, >= 0
     * @return {@code [N, O, (H + 2 pad - KH) / s + 1, (W + 2 pad - KW) / s + 1]}
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int pad) {
        return conv2d(x, w, b, stride, pad, null);
    }

    /** {@link #conv2d(Tensor, Tensor, Tensor, int, int)} with the im2col matrix borrowed from a layer's buffer. */
    static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int pad, ColumnBuffer buffer) {
        return conv2d(x, w, b, stride, pad, buffer, false);
    }

    /**
     * {@code maxPool2d(relu(conv2d(x, w, b, 1, pad)), 2, 2)} in one pass over each image: the
     * full-size activation is never written, only the pooled values and which input of each window
     * won. Values and gradients equal the three operations' (the gradient of a window goes to its
     * first maximum; ReLU and bias commute with the maximum because both are monotone).
     */
    public static Tensor conv2dReluPool2(Tensor x, Tensor w, Tensor b, int pad) {
        if (x.rank() != 4 || w.rank() != 4 || x.dim(1) != w.dim(1)) {
            throw new IllegalArgumentException("conv2dReluPool2: input " + Arrays.toString(x.shape()) + " and weight "
                    + Arrays.toString(w.shape()) + ": expected [N, C, H, W] and [O, C, KH, KW] with the same C");
        }
        if (pad < 0) throw new IllegalArgumentException("conv2dReluPool2: padding = " + pad + ": expected >= 0");
        if (b != null && (b.rank() != 1 || b.dim(0) != w.dim(0))) {
            throw new IllegalArgumentException("conv2dReluPool2: bias " + Arrays.toString(b.shape()) + ", expected [" + w.dim(0) + "]");
        }
        if (x.dim(2) + 2 * pad - w.dim(2) + 1 < 2 || x.dim(3) + 2 * pad - w.dim(3) + 1 < 2) {
            throw new IllegalArgumentException("conv2dReluPool2: kernel " + w.dim(2) + "x" + w.dim(3) + " on input "
                    + x.dim(2) + "x" + x.dim(3) + " with padding " + pad + " leaves no 2x2 window to pool");
        }
        return DirectConv2d.conv2d(x.isContiguous() ? x : x.contiguous(), w.isContiguous() ? w : w.contiguous(),
                b == null ? null : b.isContiguous() ? b : b.contiguous(), pad, true, true);
    }

    /** {@code relu(conv2d(x, w, b, stride, pad))}, fused into one pass where the convolution is direct. */
    public static Tensor conv2dRelu(Tensor x, Tensor w, Tensor b, int stride, int pad) {
        return conv2d(x, w, b, stride, pad, null, true);
    }

    static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int pad, ColumnBuffer buffer, boolean relu) {
        if (x.rank() != 4 || w.rank() != 4 || x.dim(1) != w.dim(1)) {
            throw new IllegalArgumentException("conv2d: input " + Arrays.toString(x.shape()) + " and weight "
                    + Arrays.toString(w.shape()) + ": expected [N, C, H, W] and [O, C, KH, KW] with the same C");
        }
        if (stride < 1 || pad < 0) {
            throw new IllegalArgumentException("conv2d: stride = " + stride + ", padding = " + pad + ": expected stride >= 1, padding >= 0");
        }
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
        int o = w.dim(0), kh = w.dim(2), kw = w.dim(3);
        int oh = (h + 2 * pad - kh) / stride + 1, ow = (wd + 2 * pad - kw) / stride + 1;
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("conv2d: kernel " + kh + "x" + kw + " does not fit input " + h + "x" + wd
                    + " with padding " + pad);
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != o)) {
            throw new IllegalArgumentException("conv2d: bias " + Arrays.toString(b.shape()) + ", expected [" + o + "]");
        }
        Tensor xc = dense(x), wc = dense(w);
        if (stride == 1) {
            // Direct on the images: no im2col matrix (see DirectConv2d). Views are made dense with
            // the recorded contiguous(), so their gradients still reach them.
            return DirectConv2d.conv2d(x.isContiguous() ? x : x.contiguous(), w.isContiguous() ? w : w.contiguous(),
                    b == null ? null : b.isContiguous() ? b : b.contiguous(), pad, relu, false);
        }
        if (relu) return conv2d(x, w, b, stride, pad, buffer, false).relu();
        int ckk = c * kh * kw, q = oh * ow, nq = n * q;
        // im2col writes every entry (zeros included), so a reused buffer needs no clearing.
        float[] cols = buffer == null ? new float[ckk * nq] : buffer.borrow(ckk * nq);
        im2col(xc.storage(), xc.offset(), n, c, h, wd, kh, kw, stride, pad, oh, ow, cols);
        float[] y2 = new float[o * nq];
        Gemm.sgemm(false, false, o, nq, ckk, 1f, wc.storage(), wc.offset(), ckk, cols, 0, nq, 0f, y2, 0, nq);
        Tensor out = Tensor.zeros(n, o, oh, ow);
        float[] od = out.storage();
        Tensor bc = b == null ? null : dense(b);
        for (int img = 0; img < n; img++) {
            for (int ch = 0; ch < o; ch++) {
                float bias = bc == null ? 0f : bc.storage()[bc.offset() + ch];
                int src = ch * nq + img * q, dst = (img * o + ch) * q;
                for (int k = 0; k < q; k++) od[dst + k] = y2[src + k] + bias;
            }
        }
        int[] xShape = x.shape();
        boolean needX = x.requiresGrad(), needW = w.requiresGrad(), needB = b != null && b.requiresGrad();
        boolean[] returned = {false};
        Tensor recorded = Autograd.op(out, "conv2d", g -> {
            if (returned[0]) {
                throw new IllegalStateException("conv2d: backward ran twice through one recorded graph of a Conv2D layer;"
                        + " its im2col buffer has been reused since: record the forward pass again");
            }
            Tensor gc = dense(g);
            float[] gd = gc.storage();
            float[] gy2 = new float[o * nq];
            for (int img = 0; img < n; img++) {
                for (int ch = 0; ch < o; ch++) {
                    System.arraycopy(gd, gc.offset() + (img * o + ch) * q, gy2, ch * nq + img * q, q);
                }
            }
            Tensor dw = null, dx = null, db = null;
            if (needW) {
                dw = Tensor.zeros(o, c, kh, kw);
                Gemm.sgemm(false, true, o, ckk, nq, 1f, gy2, 0, nq, cols, 0, nq, 0f, dw.storage(), 0, ckk);
            }
            if (needX) { // the first layer's input needs no gradient: skip the largest product and col2im
                float[] dcols = new float[ckk * nq];
                Gemm.sgemm(true, false, ckk, nq, o, 1f, wc.storage(), wc.offset(), ckk, gy2, 0, nq, 0f, dcols, 0, nq);
                dx = Tensor.zeros(xShape);
                col2im(dcols, n, c, h, wd, kh, kw, stride, pad, oh, ow, dx.storage());
            }
            if (needB) {
                db = Tensor.zeros(o);
                for (int ch = 0; ch < o; ch++) {
                    double s = 0;
                    for (int k = 0; k < nq; k++) s += gy2[ch * nq + k];
                    db.storage()[ch] = (float) s;
                }
            }
            if (buffer != null) { // this graph is done with it
                returned[0] = true;
                buffer.giveBack(cols);
            }
            return b == null ? new Tensor[] {dx, dw} : new Tensor[] {dx, dw, db};
        }, b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b});
        if (buffer != null && !recorded.requiresGrad()) buffer.giveBack(cols); // no backward will come
        return recorded;
    }

    /** cols[(ch*KH + p)*KW + q', (img*OH + i)*OW + j] = x[img, ch, i*s - pad + p, j*s - pad + q'] (0 outside). */
    static void im2col(float[] x, int xOff, int n, int c, int h, int w, int kh, int kw, int s, int pad,
                       int oh, int ow, float[] cols) {
        int nq = n * oh * ow;
        // Rows of cols are independent: one task per (channel, kernel row, kernel column).
        Parallel.common().forEach(c * kh * kw, r -> {
            int ch = r / (kh * kw), p = (r / kw) % kh, q = r % kw;
            int row = r * nq;
            // Output columns j whose input column j*s - pad + q lies inside [0, w).
            int jFirst = Math.max(0, (pad - q + s - 1) / s), jEnd = Math.min(ow, (w - 1 + pad - q) / s + 1);
            for (int img = 0; img < n; img++) {
                int plane = xOff + (img * c + ch) * h * w;
                int base = row + img * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int y = i * s - pad + p;
                    int dst = base + i * ow;
                    if (y < 0 || y >= h || jFirst >= jEnd) {
                        Arrays.fill(cols, dst, dst + ow, 0f);
                        continue;
                    }
                    int src = plane + y * w - pad + q;
                    Arrays.fill(cols, dst, dst + jFirst, 0f);
                    if (s == 1) {
                        System.arraycopy(x, src + jFirst, cols, dst + jFirst, jEnd - jFirst);
                    } else {
                        for (int j = jFirst; j < jEnd; j++) cols[dst + j] = x[src + j * s];
                    }
                    Arrays.fill(cols, dst + jEnd, dst + ow, 0f);
                }
            }
        });
    }

    /** The adjoint of {@link #im2col}: adds every column entry back into the input position it came from. */
    static void col2im(float[] cols, int n, int c, int h, int w, int kh, int kw, int s, int pad,
                       int oh, int ow, float[] dx) {
        int nq = n * oh * ow;
        // One task per channel: the rows of cols that a channel owns write only its own planes.
        Parallel.common().forEach(c, ch -> {
            for (int p = 0; p < kh; p++) {
                for (int q = 0; q < kw; q++) {
                    int row = ((ch * kh + p) * kw + q) * nq;
                    int jFirst = Math.max(0, (pad - q + s - 1) / s), jEnd = Math.min(ow, (w - 1 + pad - q) / s + 1);
                    if (jFirst >= jEnd) continue;
                    for (int img = 0; img < n; img++) {
                        int plane = (img * c + ch) * h * w;
                        int base = row + img * oh * ow;
                        for (int i = 0; i < oh; i++) {
                            int y = i * s - pad + p;
                            if (y < 0 || y >= h) continue;
                            int dstRow = plane + y * w - pad + q, src = base + i * ow;
                            for (int j = jFirst; j < jEnd; j++) dx[dstRow + j * s] += cols[src + j];
                        }
                    }
                }
            }
        });
    }

    /**
     * Max pooling over {@code k x k} windows moved by {@code stride}, no padding: {@code [N, C, H, W]}
     * to {@code [N, C, (H - k) / stride + 1, (W - k) / stride + 1]}. The gradient goes to the first
     * maximum of each window.
     */
    public static Tensor maxPool2d(Tensor x, int k, int stride) {
        if (x.rank() != 4) throw new IllegalArgumentException("maxPool2d: input " + Arrays.toString(x.shape()) + ", expected [N, C, H, W]");
        if (k < 1 || stride < 1 || k > x.dim(2) || k > x.dim(3)) {
            throw new IllegalArgumentException("maxPool2d: window " + k + ", stride " + stride + " on input "
                    + Arrays.toString(x.shape()) + ": expected 1 <= window <= H, W and stride >= 1");
        }
        Tensor xc = dense(x);
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int oh = (h - k) / stride + 1, ow = (w - k) / stride + 1;
        Tensor out = Tensor.zeros(n, c, oh, ow);
        int[] argmax = new int[n * c * oh * ow];
        float[] xd = xc.storage(), od = out.storage();
        int xOff = xc.offset();
        Parallel.common().forEach(n * c, plane -> {
            int base = plane * h * w;
            if (k == 2 && stride == 2) { // LeNet's pooling, written out: no window loops to run
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int r0 = base + 2 * i * w + 2 * j, r1 = r0 + w;
                        int best = r0;
                        float bv = xd[xOff + r0];
                        float v = xd[xOff + r0 + 1];
                        if (v > bv) { bv = v; best = r0 + 1; }
                        v = xd[xOff + r1];
                        if (v > bv) { bv = v; best = r1; }
                        v = xd[xOff + r1 + 1];
                        if (v > bv) { bv = v; best = r1 + 1; }
                        int o = (plane * oh + i) * ow + j;
                        od[o] = bv;
                        argmax[o] = best;
                    }
                }
                return;
            }
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int best = base + (i * stride) * w + j * stride;
                    float bestValue = xd[xOff + best];
                    for (int p = 0; p < k; p++) {
                        int rowStart = base + (i * stride + p) * w + j * stride;
                        for (int q = 0; q < k; q++) {
                            float v = xd[xOff + rowStart + q];
                            if (v > bestValue) {
                                bestValue = v;
                                best = rowStart + q;
                            }
                        }
                    }
                    int o = (plane * oh + i) * ow + j;
                    od[o] = bestValue;
                    argmax[o] = best;
                }
            }
        });
        int[] xShape = x.shape();
        return Autograd.op(out, "maxPool2d", g -> {
            Tensor gc = dense(g);
            Tensor dx = Tensor.zeros(xShape);
            for (int o = 0; o < argmax.length; o++) dx.storage()[argmax[o]] += gc.storage()[gc.offset() + o];
            return new Tensor[] {dx};
        }, x);
    }

    /**
     * Average pooling over {@code k x k} windows moved by {@code stride}, no padding (the classic
     * LeNet's subsampling, section 7.6 of the book): {@code [N, C, H, W]} to
     * {@code [N, C, (H - k) / stride + 1, (W - k) / stride + 1]}, each output the window's sum in
     * row-major order divided by {@code k * k}. Gradient: each output's gradient divided by
     * {@code k * k}, added to every input of its window.
     */
    public static Tensor avgPool2d(Tensor x, int k, int stride) {
        if (x.rank() != 4) throw new IllegalArgumentException("avgPool2d: input " + Arrays.toString(x.shape()) + ", expected [N, C, H, W]");
        if (k < 1 || stride < 1 || k > x.dim(2) || k > x.dim(3)) {
            throw new IllegalArgumentException("avgPool2d: window " + k + ", stride " + stride + " on input "
                    + Arrays.toString(x.shape()) + ": expected 1 <= window <= H, W and stride >= 1");
        }
        Tensor xc = dense(x);
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int oh = (h - k) / stride + 1, ow = (w - k) / stride + 1;
        float area = (float) (k * k);
        Tensor out = Tensor.zeros(n, c, oh, ow);
        float[] xd = xc.storage(), od = out.storage();
        int xOff = xc.offset();
        Parallel.common().forEach(n * c, plane -> {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int start = xOff + plane * h * w + i * stride * w + j * stride;
                    float sum = 0f;
                    for (int p = 0; p < k; p++) for (int q = 0; q < k; q++) sum += xd[start + p * w + q];
                    od[(plane * oh + i) * ow + j] = sum / area;
                }
            }
        });
        int[] xShape = x.shape();
        return Autograd.op(out, "avgPool2d", g -> {
            Tensor gc = dense(g);
            Tensor dx = Tensor.zeros(xShape);
            float[] gd = gc.storage(), dd = dx.storage();
            for (int plane = 0; plane < n * c; plane++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        float share = gd[gc.offset() + (plane * oh + i) * ow + j] / area;
                        int start = plane * h * w + i * stride * w + j * stride;
                        for (int p = 0; p < k; p++) for (int q = 0; q < k; q++) dd[start + p * w + q] += share;
                    }
                }
            }
            return new Tensor[] {dx};
        }, x);
    }

    /**
     * Softmax cross-entropy per example, as Gluon's {@code SoftmaxCrossEntropyLoss}:
     * {@code l_n = log(sum_k exp(z_nk)) - z_n,y_n}, computed stably (the row maximum is subtracted
     * before exponentiating). Gradient: {@code softmax(z_n) - onehot(y_n)}.
     *
     * @param logits {@code [N, K]}
     * @param labels {@code [N]}, class indices 0..K-1 stored as floats
     * @return {@code [N]}
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, Tensor labels) {
        if (logits.rank() != 2 || labels.rank() != 1 || labels.dim(0) != logits.dim(0)) {
            throw new IllegalArgumentException("softmaxCrossEntropy: logits " + Arrays.toString(logits.shape()) + " and labels "
                    + Arrays.toString(labels.shape()) + ": expected [N, K] and [N]");
        }
        int n = logits.dim(0), k = logits.dim(1);
        Tensor z = dense(logits), y = dense(labels);
        float[] zd = z.storage();
        int zo = z.offset();
        float[] probs = new float[n * k];
        Tensor out = Tensor.zeros(n);
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            float label = y.storage()[y.offset() + i];
            cls[i] = (int) label;
            if (cls[i] != label || cls[i] < 0 || cls[i] >= k) {
                throw new IllegalArgumentException("softmaxCrossEntropy: label " + label + " of example " + i
                        + " is not a class index in [0, " + k + ")");
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) max = Math.max(max, zd[zo + i * k + j]);
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double e = Math.exp(zd[zo + i * k + j] - max);
                probs[i * k + j] = (float) e;
                sum += e;
            }
            for (int j = 0; j < k; j++) probs[i * k + j] /= (float) sum;
            out.storage()[i] = (float) (max + Math.log(sum) - zd[zo + i * k + cls[i]]);
        }
        return Autograd.op(out, "softmaxCrossEntropy", g -> {
            Tensor gc = dense(g);
            Tensor dz = Tensor.zeros(n, k);
            float[] d = dz.storage();
            for (int i = 0; i < n; i++) {
                float gi = gc.storage()[gc.offset() + i];
                for (int j = 0; j < k; j++) d[i * k + j] = gi * (probs[i * k + j] - (j == cls[i] ? 1f : 0f));
            }
            return new Tensor[] {dz, null};
        }, logits, labels);
    }
}
