package io.gradus.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import io.gradus.core.nn.Parameter;
import io.gradus.core.tensor.Tensor;
import io.gradus.kernels.ArrayKernels;
import io.gradus.kernels.Parallel;
import io.gradus.optim.Optimizer;
import io.gradus.optim.Optimizers;
import io.gradus.optim.Params;
import io.gradus.optim.Trainer;
import io.gradus.optim.schedule.LrSchedule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * One fused optimizer step over 16M parameters on a pool of 2 threads, gradient checks off (and,
 * for {@code checked}, the non-finite check and global-norm clipping on), against a SIMD triad
 * ({@code y += a x}: two reads and a write per element, STREAM's traffic) over arrays of the same
 * size on the same pool. Bytes per parameter each algorithm must move: {@link #bytesPerParameter}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx8g")
public class OptimizerBench {

    static final int N = 16 << 20;

    @Param({"sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam", "amsgrad", "yogi"})
    public String algorithm;

    Params params;
    Trainer trainer, checkedTrainer;
    /** The book's from-scratch state, as tensors: parameters, gradient, two moments, max. */
    Tensor tp, tg, ts1, ts2;
    long tt;
    Parallel pool;
    float[] x, y;
    /** STREAM triad's arrays. */
    float[] a, b, c;

    /** Reads plus writes per parameter, 4 bytes each (gradient read included). */
    public static int bytesPerParameter(String algorithm) {
        return switch (algorithm) {
            case "sgd" -> 12;
            case "momentum", "adagrad", "rmsprop" -> 20;
            case "adadelta", "adam", "yogi" -> 28;
            case "amsgrad" -> 36;
            default -> throw new IllegalArgumentException("algorithm = " + algorithm);
        };
    }

    static Optimizer optimizer(String name) {
        return switch (name) {
            case "sgd" -> Optimizers.sgd(0);
            case "momentum" -> Optimizers.momentum(0.9, 0, false);
            case "adagrad" -> Optimizers.adagrad(1e-6, true, 0);
            case "rmsprop" -> Optimizers.rmsprop(0.9, 1e-6, true, false, 0);
            case "adadelta" -> Optimizers.adadelta(0.9, 1e-5, 0);
            case "adam" -> Optimizers.adam(0.9, 0.999, 1e-6, 0);
            case "amsgrad" -> Optimizers.amsgrad(0.9, 0.999, 1e-8, 0);
            case "yogi" -> Optimizers.yogi(0.9, 0.999, 1e-3, 0);
            default -> throw new IllegalArgumentException("algorithm = " + name);
        };
    }

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(1);
        float[] v = new float[N];
        for (int i = 0; i < N; i++) v[i] = (float) r.nextGaussian();
        Map<String, Parameter> named = new LinkedHashMap<>();
        named.put("w", new Parameter("w", Tensor.wrap(v, 0, N)));
        params = Params.of(named);
        for (int i = 0; i < N; i++) params.grads()[i] = 1e-3f * (float) r.nextGaussian();
        pool = Parallel.ofThreads(2);
        trainer = new Trainer(params, optimizer(algorithm), LrSchedule.constant(1e-3), pool)
                .nonFinite(false, Trainer.NonFinitePolicy.THROW);
        checkedTrainer = new Trainer(params, optimizer(algorithm), LrSchedule.constant(1e-3), pool).clipByNorm(1e9);
        tp = Tensor.wrap(params.values().clone(), 0, N);
        tg = Tensor.wrap(params.grads().clone(), 0, N);
        ts1 = Tensor.zeros(N);
        ts2 = Tensor.zeros(N);
        x = new float[N];
        y = new float[N];
        for (int i = 0; i < N; i++) x[i] = r.nextFloat();
        a = new float[N];
        b = new float[N];
        c = new float[N];
        for (int i = 0; i < N; i++) {
            b[i] = r.nextFloat();
            c[i] = r.nextFloat();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] fusedStep() {
        trainer.step(1);
        return params.values();
    }

    @Benchmark
    public float[] fusedStepChecked() {
        checkedTrainer.step(1);
        return params.values();
    }

    /**
     * The same update written with the public Tensor API, as the book's from-scratch code writes it
     * ({@code v[:] = beta1 * v + (1 - beta1) * g} and so on); each operation makes a new tensor.
     * AMSGrad has no from-scratch version in the book and runs Adam's here.
     */
    @Benchmark
    public Tensor tensorApiStep() {
        float lr = 1e-3f;
        long t = ++tt;
        Tensor g = tg;
        switch (algorithm) {
            case "sgd" -> tp = tp.sub(g.mul(lr));
            case "momentum" -> {
                ts1 = ts1.mul(0.9f).add(g);
                tp = tp.sub(ts1.mul(lr));
            }
            case "adagrad" -> {
                ts1 = ts1.add(g.square());
                tp = tp.sub(g.mul(lr).div(ts1.add(1e-6f).sqrt()));
            }
            case "rmsprop" -> {
                ts1 = ts1.mul(0.9f).add(g.square().mul(0.1f));
                tp = tp.sub(g.mul(lr).div(ts1.add(1e-6f).sqrt()));
            }
            case "adadelta" -> {
                ts1 = ts1.mul(0.9f).add(g.square().mul(0.1f));
                Tensor u = ts2.add(1e-5f).sqrt().div(ts1.add(1e-5f).sqrt()).mul(g);
                tp = tp.sub(u);
                ts2 = ts2.mul(0.9f).add(u.mul(u).mul(0.1f));
            }
            case "adam", "amsgrad", "yogi" -> {
                ts1 = ts1.mul(0.9f).add(g.mul(0.1f));
                ts2 = algorithm.equals("yogi")
                        ? ts2.add(g.square().sub(ts2).sign().mul(g.square()).mul(0.001f))
                        : ts2.mul(0.999f).add(g.square().mul(0.001f));
                Tensor vHat = ts1.div((float) (1 - Math.pow(0.9, t)));
                Tensor sHat = ts2.div((float) (1 - Math.pow(0.999, t)));
                tp = tp.sub(vHat.mul(lr).div(sHat.sqrt().add(algorithm.equals("yogi") ? 1e-3f : 1e-6f)));
            }
            default -> throw new IllegalArgumentException("algorithm = " + algorithm);
        }
        return tp;
    }

    /**
     * STREAM's triad as McCalpin defines it, {@code a = b + s c}: three arrays of N floats (two reads
     * and a write, 12 bytes per element counted, as STREAM counts), written with the Vector API,
     * chunked on the same pool. Its working set (192 MB) is closer to the optimizers' (Adam: 256 MB)
     * than {@link #triad}'s two arrays, which this machine's L3 holds.
     */
    @Benchmark
    public float[] streamTriad() {
        int chunk = 1 << 16;
        pool.forEach(N / chunk, ch -> {
            int i = ch * chunk, end = i + chunk;
            FloatVector s = FloatVector.broadcast(SPECIES, 3f);
            for (; i < end; i += SPECIES.length()) {
                FloatVector.fromArray(SPECIES, c, i).fma(s, FloatVector.fromArray(SPECIES, b, i)).intoArray(a, i);
            }
        });
        return a;
    }

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** The bandwidth peer: y += a x over N floats, chunked on the same pool (12 bytes per element). */
    @Benchmark
    public float[] triad() {
        int chunk = 1 << 16;
        pool.forEach(N / chunk, c -> ArrayKernels.get().axpy(1e-3f, x, c * chunk, y, c * chunk, chunk));
        return y;
    }
}
