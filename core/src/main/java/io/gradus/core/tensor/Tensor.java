package io.gradus.core.tensor;

import io.gradus.kernels.ArrayKernels;
import io.gradus.kernels.gemm.Gemm;
import java.util.Arrays;
import java.util.Random;

/**
 * A dense float32 array: a shape, row-major strides and an offset over a {@code float[]}.
 * Views ({@link #reshape}, {@link #row}, {@link #slice}, {@link #transpose}) share the storage;
 * every operation returns a new, contiguous tensor. Arithmetic broadcasts as NumPy does.
 * Operations recorded inside {@link Autograd#record()} can be differentiated with
 * {@link #backward()} (see {@link Autograd}).
 *
 * <p>Threads: operations only read their inputs, so one tensor may be read by several threads at
 * once. Recording is per thread (each thread has its own {@link Autograd#record()} scope), but
 * {@link #backward()} accumulates into the gradients of the tensors it reaches: two threads must
 * not run backward through graphs that share a tensor needing a gradient, nor write a storage
 * (through {@link #storage()} or a wrapped array) that another thread reads.
 */
public final class Tensor {

    final float[] data;
    final int offset;
    final int[] shape;
    final int[] strides;

    // autograd state
    boolean requiresGrad;
    Autograd.Node node;
    private Tensor grad;

    Tensor(float[] data, int offset, int[] shape, int[] strides) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    private static Tensor fresh(int[] shape) {
        Shape.checkDims("tensor", shape);
        int n = Shape.size(shape);
        float[] data;
        try {
            data = new float[n];
        } catch (OutOfMemoryError e) {
            // One allocation too large for this heap: say which tensor and how much, rather than a bare error.
            throw new OutOfMemoryError("tensor of shape " + java.util.Arrays.toString(shape) + ": " + n + " floats ("
                    + (4L * n >> 20) + " MiB) do not fit in the Java heap (-Xmx, at most " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB)");
        }
        return new Tensor(data, 0, shape.clone(), Shape.contiguousStrides(shape));
    }

    // ---------------------------------------------------------------- factories

    public static Tensor zeros(int... shape) {
        return fresh(shape);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = fresh(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** {@code [0, 1, ..., n-1]}. */
    public static Tensor arange(int n) {
        Tensor t = fresh(new int[] {n});
        for (int i = 0; i < n; i++) t.data[i] = i;
        return t;
    }

    /** A tensor over a copy of {@code values} with the given shape (default: one dimension). */
    public static Tensor of(float[] values, int... shape) {
        int[] s = shape.length == 0 ? new int[] {values.length} : shape;
        Shape.checkDims("of", s);
        if (Shape.size(s) != values.length) {
            throw new IllegalArgumentException("of: " + values.length + " values do not fill shape " + Arrays.toString(s));
        }
        return new Tensor(values.clone(), 0, s.clone(), Shape.contiguousStrides(s));
    }

    /**
     * A tensor over {@code data} itself (not copied), contiguous from {@code offset}: for kernels
     * and layers that write their results straight into an array, and for views into flat buffers.
     */
    public static Tensor wrap(float[] data, int offset, int... shape) {
        Shape.checkDims("wrap", shape);
        if (offset < 0 || (long) offset + Shape.size(shape) > data.length) {
            throw new IllegalArgumentException("wrap: shape " + Arrays.toString(shape) + " at offset " + offset
                    + " does not fit in an array of length " + data.length);
        }
        return new Tensor(data, offset, shape.clone(), Shape.contiguousStrides(shape));
    }

    /** A tensor of shape {@code []} holding one value. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, 0, new int[0], new int[0]);
    }

    /** Normal(mean, std) values from {@code new Random(seed)}: the same seed, the same tensor. */
    public static Tensor normal(long seed, float mean, float std, int... shape) {
        Tensor t = fresh(shape);
        Random r = new Random(seed);
        for (int i = 0; i < t.data.length; i++) t.data[i] = (float) (mean + std * r.nextGaussian());
        return t;
    }

    /** Uniform values in {@code [low, high)} from {@code new Random(seed)}. */
    public static Tensor uniform(long seed, float low, float high, int... shape) {
        Tensor t = fresh(shape);
        Random r = new Random(seed);
        for (int i = 0; i < t.data.length; i++) t.data[i] = low + (high - low) * r.nextFloat();
        return t;
    }

    // ---------------------------------------------------------------- accessors

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis(axis)];
    }

    public int size() {
        return Shape.size(shape);
    }

    public boolean isContiguous() {
        return Arrays.equals(strides, Shape.contiguousStrides(shape));
    }

    private int axis(int axis) {
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException("axis = " + axis + ": expected -" + shape.length + " <= axis < " + shape.length
                    + " for shape " + Arrays.toString(shape));
        }
        return a;
    }

    private int index(int... idx) {
        if (idx.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(idx) + " has " + idx.length
                    + " coordinates, shape " + Arrays.toString(shape) + " needs " + shape.length);
        }
        int p = offset;
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " is outside shape " + Arrays.toString(shape));
            }
            p += idx[i] * strides[i];
        }
        return p;
    }

    public float get(int... idx) {
        return data[index(idx)];
    }

    /** Writes one element in place (views share it). Not recorded by autograd. */
    public void set(float value, int... idx) {
        data[index(idx)] = value;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (size() != 1) {
            throw new IllegalArgumentException("item: shape " + Arrays.toString(shape) + " has " + size() + " elements, expected 1");
        }
        return data[offset];
    }

    /** The elements in row-major order, copied. */
    public float[] toArray() {
        return contiguousData().clone();
    }

    /** The storage of a contiguous tensor itself, or a contiguous copy; read-only by convention. */
    float[] contiguousData() {
        if (isContiguous() && offset == 0 && data.length == size()) return data;
        return dense().data;
    }

    /** The backing array and offset, for kernels: valid when {@link #isContiguous()}. */
    public float[] storage() {
        return data;
    }

    public int offset() {
        return offset;
    }

    // ---------------------------------------------------------------- views

    /** The same elements in another shape (one dimension may be -1); shares storage when contiguous. */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape " + Arrays.toString(newShape) + ": more than one -1");
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) s[infer] = known == 0 ? 0 : size() / known;
        Shape.checkDims("reshape", s);
        if (Shape.size(s) != size()) {
            throw new IllegalArgumentException("reshape: " + Arrays.toString(shape) + " (" + size() + " elements) cannot become "
                    + Arrays.toString(newShape));
        }
        Tensor src = packed();
        Tensor out = new Tensor(src.data, src.offset, s, Shape.contiguousStrides(s));
        int[] from = shape.clone();
        return Autograd.recordOp(out, "reshape", g -> new Tensor[] {g.reshape(from)}, this);
    }

    /** Element {@code i} along the first axis, as a view of rank - 1. */
    public Tensor row(int i) {
        if (shape.length == 0) throw new IllegalArgumentException("row: a scalar has no rows");
        if (i < 0 || i >= shape[0]) throw new IndexOutOfBoundsException("row " + i + " of shape " + Arrays.toString(shape));
        Tensor out = new Tensor(data, offset + i * strides[0], Arrays.copyOfRange(shape, 1, shape.length),
                Arrays.copyOfRange(strides, 1, strides.length));
        int[] full = shape.clone();
        return Autograd.recordOp(out, "row", g -> {
            Tensor gi = zeros(full);
            gi.row(i).copyFrom(g);
            return new Tensor[] {gi};
        }, this);
    }

    /** Rows {@code [from, to)} along the first axis, as a view. */
    public Tensor slice(int from, int to) {
        if (shape.length == 0) throw new IllegalArgumentException("slice: a scalar has no rows");
        if (from < 0 || to > shape[0] || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + "): expected 0 <= from <= to <= " + shape[0]);
        }
        int[] s = shape.clone();
        s[0] = to - from;
        Tensor out = new Tensor(data, offset + from * strides[0], s, strides.clone());
        int[] full = shape.clone();
        return Autograd.recordOp(out, "slice", g -> {
            Tensor gi = zeros(full);
            gi.slice(from, to).copyFrom(g);
            return new Tensor[] {gi};
        }, this);
    }

    /** The last two axes swapped, as a view (a matrix's transpose). */
    public Tensor transpose() {
        if (shape.length < 2) throw new IllegalArgumentException("transpose: shape " + Arrays.toString(shape) + " has fewer than 2 axes");
        int[] s = shape.clone(), st = strides.clone();
        int a = s.length - 2, b = s.length - 1;
        int t = s[a]; s[a] = s[b]; s[b] = t;
        t = st[a]; st[a] = st[b]; st[b] = t;
        return Autograd.recordOp(new Tensor(data, offset, s, st), "transpose", g -> new Tensor[] {g.transpose()}, this);
    }

    /** A contiguous copy, recorded (its gradient passes straight through). */
    public Tensor contiguous() {
        return Autograd.recordOp(dense(), "contiguous", g -> new Tensor[] {g}, this);
    }

    /** A contiguous copy for internal use: never recorded (the calling operation records itself). */
    Tensor dense() {
        Tensor out = fresh(shape);
        out.copyFrom(this);
        return out;
    }

    /** This tensor if it is contiguous (at any offset), else a contiguous copy; never recorded. */
    Tensor packed() {
        return isContiguous() ? this : dense();
    }

    /** Copies {@code src}'s elements into this tensor (same shape), in place; not recorded. */
    void copyFrom(Tensor src) {
        if (!Arrays.equals(shape, src.shape)) {
            throw new IllegalArgumentException("copy: shape " + Arrays.toString(src.shape) + " into " + Arrays.toString(shape));
        }
        if (isContiguous() && src.isContiguous()) {
            System.arraycopy(src.data, src.offset, data, offset, size());
            return;
        }
        if (shape.length == 2) {
            copyMatrix(src);
            return;
        }
        Strided.forEach(shape, (dst, s) -> data[dst] = src.data[s], offset, strides, src.offset, src.strides);
    }

    /**
     * {@link #copyFrom} for matrices (a transposed weight's gradient, packed before it accumulates):
     * plain loops in 32 x 32 blocks, so a transposed read stays within a block of cache lines,
     * rather than a lambda call per element through {@link Strided}.
     */
    private void copyMatrix(Tensor src) {
        final int block = 32;
        int rows = shape[0], cols = shape[1];
        int dr = strides[0], dc = strides[1], sr = src.strides[0], sc = src.strides[1];
        for (int i0 = 0; i0 < rows; i0 += block) {
            int i1 = Math.min(rows, i0 + block);
            for (int j0 = 0; j0 < cols; j0 += block) {
                int j1 = Math.min(cols, j0 + block);
                for (int i = i0; i < i1; i++) {
                    int d = offset + i * dr + j0 * dc, s = src.offset + i * sr + j0 * sc;
                    for (int j = j0; j < j1; j++, d += dc, s += sc) data[d] = src.data[s];
                }
            }
        }
    }

    // ---------------------------------------------------------------- autograd

    /** Marks this leaf as needing a gradient and gives it a zero {@link #grad()}. */
    public Tensor attachGrad() {
        return attachGrad(zeros(shape));
    }

    /**
     * Marks this leaf as needing a gradient that accumulates into {@code buffer} (same shape,
     * contiguous), e.g. a view into an optimizer's flat gradient array.
     */
    public Tensor attachGrad(Tensor buffer) {
        if (!Arrays.equals(buffer.shape, shape) || !buffer.isContiguous()) {
            throw new IllegalArgumentException("attachGrad: buffer of shape " + Arrays.toString(buffer.shape)
                    + (buffer.isContiguous() ? "" : " (not contiguous)") + ", expected contiguous " + Arrays.toString(shape));
        }
        requiresGrad = true;
        grad = buffer;
        return this;
    }

    /** The accumulated gradient of a leaf (after {@link #attachGrad()}), or null. */
    public Tensor grad() {
        return grad;
    }

    /** Sets the accumulated gradient to zero. */
    public void zeroGrad() {
        if (grad != null) Arrays.fill(grad.data, grad.offset, grad.offset + grad.size(), 0f);
    }

    void accumulateGrad(Tensor g) {
        if (grad == null) return; // an intermediate result: nobody asked for its gradient
        Tensor gc = g.packed();
        ArrayKernels.get().add(grad.data, grad.offset, gc.data, gc.offset, grad.data, grad.offset, grad.size());
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The same values, cut off from the graph: no gradient flows through it. */
    public Tensor detach() {
        return new Tensor(data, offset, shape.clone(), strides.clone());
    }

    /** Back-propagates from this one-element result into every leaf's {@link #grad()}. */
    public void backward() {
        Autograd.backward(this);
    }

    // ---------------------------------------------------------------- elementwise

    public Tensor add(Tensor b) {
        Tensor out = Elementwise.binary("add", this, b, Elementwise.Op.ADD);
        return Autograd.recordOp(out, "add", g -> new Tensor[] {g.sumTo(shape), g.sumTo(b.shape)}, this, b);
    }

    public Tensor sub(Tensor b) {
        Tensor out = Elementwise.binary("sub", this, b, Elementwise.Op.SUB);
        return Autograd.recordOp(out, "sub", g -> new Tensor[] {g.sumTo(shape), g.neg().sumTo(b.shape)}, this, b);
    }

    public Tensor mul(Tensor b) {
        Tensor out = Elementwise.binary("mul", this, b, Elementwise.Op.MUL);
        Tensor a = this;
        return Autograd.recordOp(out, "mul", g -> new Tensor[] {g.mul(b.detach()).sumTo(a.shape), g.mul(a.detach()).sumTo(b.shape)}, a, b);
    }

    public Tensor div(Tensor b) {
        Tensor out = Elementwise.binary("div", this, b, Elementwise.Op.DIV);
        Tensor a = this;
        return Autograd.recordOp(out, "div", g -> {
            Tensor bd = b.detach();
            return new Tensor[] {g.div(bd).sumTo(a.shape), g.mul(out.detach()).div(bd).neg().sumTo(b.shape)};
        }, a, b);
    }

    public Tensor add(float s) {
        return Autograd.recordOp(Elementwise.scalar(this, Elementwise.Op.ADD, s), "addScalar", g -> new Tensor[] {g}, this);
    }

    public Tensor sub(float s) {
        return add(-s);
    }

    public Tensor mul(float s) {
        return Autograd.recordOp(Elementwise.scalar(this, Elementwise.Op.MUL, s), "mulScalar", g -> new Tensor[] {g.mul(s)}, this);
    }

    public Tensor div(float s) {
        return Autograd.recordOp(Elementwise.scalar(this, Elementwise.Op.DIV, s), "divScalar", g -> new Tensor[] {g.div(s)}, this);
    }

    public Tensor neg() {
        return mul(-1f);
    }

    public Tensor exp() {
        Tensor out = Elementwise.map(this, Elementwise.Fn.EXP);
        return Autograd.recordOp(out, "exp", g -> new Tensor[] {g.mul(out.detach())}, this);
    }

    public Tensor log() {
        Tensor x = this;
        return Autograd.recordOp(Elementwise.map(this, Elementwise.Fn.LOG), "log", g -> new Tensor[] {g.div(x.detach())}, this);
    }

    public Tensor tanh() {
        Tensor out = Elementwise.map(this, Elementwise.Fn.TANH);
        return Autograd.recordOp(out, "tanh", g -> {
            Tensor y = out.detach();
            return new Tensor[] {g.mul(y.mul(y).neg().add(1f))};
        }, this);
    }

    public Tensor sigmoid() {
        Tensor out = Elementwise.map(this, Elementwise.Fn.SIGMOID);
        return Autograd.recordOp(out, "sigmoid", g -> {
            Tensor y = out.detach();
            return new Tensor[] {g.mul(y.mul(y.neg().add(1f)))};
        }, this);
    }

    public Tensor relu() {
        Tensor x = this;
        return Autograd.recordOp(Elementwise.map(this, Elementwise.Fn.RELU), "relu", g -> {
            Tensor gx = zeros(x.shape);
            Tensor xc = x.packed(), gc = g.packed();
            ArrayKernels.get().reluBackward(xc.data, xc.offset, gc.data, gc.offset, gx.data, 0, gx.data.length);
            return new Tensor[] {gx};
        }, this);
    }

    public Tensor sqrt() {
        Tensor out = Elementwise.map(this, Elementwise.Fn.SQRT);
        return Autograd.recordOp(out, "sqrt", g -> new Tensor[] {g.div(out.detach().mul(2f))}, this);
    }

    public Tensor square() {
        Tensor x = this;
        return Autograd.recordOp(Elementwise.map(this, Elementwise.Fn.SQUARE), "square", g -> new Tensor[] {g.mul(x.detach().mul(2f))}, this);
    }

    public Tensor abs() {
        Tensor x = this;
        return Autograd.recordOp(Elementwise.map(this, Elementwise.Fn.ABS), "abs", g -> new Tensor[] {g.mul(x.detach().sign())}, this);
    }

    /** -1, 0 or 1; its gradient is zero everywhere it exists. */
    public Tensor sign() {
        Tensor x = this;
        return Autograd.recordOp(Elementwise.map(this, Elementwise.Fn.SIGN), "sign", g -> new Tensor[] {zeros(x.shape)}, this);
    }

    // comparisons: 1 where true, 0 where false; not differentiable

    public Tensor gt(Tensor b) {
        return Elementwise.binary("gt", this, b, Elementwise.Op.GT);
    }

    public Tensor lt(Tensor b) {
        return Elementwise.binary("lt", this, b, Elementwise.Op.LT);
    }

    public Tensor eq(Tensor b) {
        return Elementwise.binary("eq", this, b, Elementwise.Op.EQ);
    }

    public Tensor gt(float s) {
        return Elementwise.scalar(this, Elementwise.Op.GT, s);
    }

    public Tensor lt(float s) {
        return Elementwise.scalar(this, Elementwise.Op.LT, s);
    }

    public Tensor eq(float s) {
        return Elementwise.scalar(this, Elementwise.Op.EQ, s);
    }

    // ---------------------------------------------------------------- reductions

    /** The sum of all elements, shape {@code []}. */
    public Tensor sum() {
        Tensor x = packed();
        Tensor out = scalar(ArrayKernels.get().sum(x.data, x.offset, x.size()));
        int[] s = shape.clone();
        return Autograd.recordOp(out, "sum", g -> new Tensor[] {full(g.item(), s)}, this);
    }

    /** The mean of all elements, shape {@code []}. */
    public Tensor mean() {
        return sum().div(Math.max(1, size()));
    }

    /** Sums along {@code axis}; with {@code keepDims} that axis stays with size 1. */
    public Tensor sum(int axis, boolean keepDims) {
        int a = axis(axis);
        Tensor out = Reductions.sum(this, a, keepDims);
        int[] s = shape.clone();
        return Autograd.recordOp(out, "sumAxis", g -> new Tensor[] {Reductions.expandAlong(g, s, a)}, this);
    }

    public Tensor mean(int axis, boolean keepDims) {
        return sum(axis, keepDims).div(shape[axis(axis)]);
    }

    /** Maxima along {@code axis}; the gradient goes to the first maximum of each slice. */
    public Tensor max(int axis, boolean keepDims) {
        int a = axis(axis);
        Tensor idx = Reductions.argmax(this, a, true);
        Tensor out = Reductions.gather(this, idx, a, keepDims);
        int[] s = shape.clone();
        return Autograd.recordOp(out, "maxAxis", g -> new Tensor[] {Reductions.scatter(g, idx, s, a)}, this);
    }

    /** Indices (as floats) of the first maxima along {@code axis}; not differentiable. */
    public Tensor argmax(int axis, boolean keepDims) {
        return Reductions.argmax(this, axis(axis), keepDims);
    }

    /** The largest element (NaN if any is NaN); not differentiable. */
    public float max() {
        Tensor x = packed();
        return ArrayKernels.get().max(x.data, x.offset, x.size());
    }

    /** Sums the broadcast axes away so that the result has {@code target}'s shape (gradients of broadcasts). */
    Tensor sumTo(int[] target) {
        if (Arrays.equals(shape, target)) return this;
        Tensor t = this;
        while (t.rank() > target.length) t = Reductions.sum(t, 0, false);
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 1 && t.shape[i] != 1) t = Reductions.sum(t, i, true);
        }
        return t;
    }

    // ---------------------------------------------------------------- matmul

    /**
     * Matrix product through {@link Gemm#sgemm}: {@code [m,k] x [k,n]}, or batched over a leading
     * axis ({@code [b,m,k] x [b,k,n]}, or {@code [b,m,k] x [k,n]} with one right-hand matrix).
     * Transposed views are passed to SGEMM as transposes, not copied.
     */
    public Tensor matmul(Tensor b) {
        Tensor out = MatMul.forward(this, b);
        Tensor a = this;
        return Autograd.recordOp(out, "matmul", g -> MatMul.backward(a.detach(), b.detach(), a.requiresGrad, b.requiresGrad, g), a, b);
    }

    // ---------------------------------------------------------------- printing

    /** Like NumPy's {@code str()}: nested brackets, elements separated by spaces; large tensors summarized. */
    @Override
    public String toString() {
        return Printing.format(this);
    }
}
