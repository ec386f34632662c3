package io.gradus.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import io.gradus.core.nn.Parameter;
import io.gradus.core.tensor.Tensor;
import io.gradus.kernels.ArrayKernels;
import io.gradus.kernels.Parallel;
import io.gradus.kernels.internal.SimdSupport;
import io.gradus.optim.NonFinite;
import io.gradus.optim.Optimizer;
import io.gradus.optim.OptimizerCatalog;
import io.gradus.optim.Params;
import io.gradus.optim.Trainer;
import io.gradus.optim.schedule.LrSchedule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * One fused optimizer step over 16M parameters on a pool of 2 threads, for every algorithm of
 * {@link OptimizerCatalog} (default hyperparameters): unchecked ({@code fusedStep}: the non-finite
 * check off, no clipping) and checked ({@code fusedStepChecked}: the non-finite check and
 * global-norm clipping on, which adds one parallel pass reading the gradient), against STREAM's
 * triad over arrays of the same size on the same pool, and against the book's from-scratch update
 * written with the Tensor API ({@link ScratchUpdates}). Bytes each step must move:
 * {@link io.gradus.optim.Optimizer#bytesPerParameter}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx8g")
public class OptimizerBench {

    /** Parameters per step: 16M floats. */
    public static final int N = 16 << 20;

    /** The catalog's names; a test checks that this list is the catalog. */
    @Param({"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "rmsprop-centered", "adadelta", "adam", "amsgrad",
            "adamw", "yogi", "adamax", "nadam", "radam", "lion", "lamb"})
    public String algorithm;

    Params params;
    Trainer trainer, checkedTrainer;
    /** The book's from-scratch state, as tensors: parameters, gradient, state. */
    Tensor tp, tg;
    Tensor[] tState;
    ScratchUpdates.ScratchUpdate scratch;
    Parallel pool;
    float[] x, y;
    /** STREAM triad's arrays. */
    float[] a, b, c;

    /** Reads plus writes per parameter, 4 bytes each (gradient read included). */
    public static int bytesPerParameter(String algorithm) {
        return OptimizerCatalog.entry(algorithm).algorithm().bytesPerParameter();
    }

    /**
     * The book's from-scratch update closest to the algorithm (the book writes no AMSGrad, AdamW,
     * Nesterov or centered RMSProp: those run Adam's, momentum's and RMSProp's; nor the algorithms
     * beyond the chapter: Adamax, NAdam, RAdam and LAMB run Adam's, Lion momentum's, the same state count).
     */
    static ScratchUpdates.ScratchUpdate scratch(String algorithm) {
        return switch (algorithm) {
            case "sgd" -> ScratchUpdates.sgd(1e-3);
            case "momentum", "nesterov", "lion" -> ScratchUpdates.momentum(1e-3, 0.9);
            case "adagrad" -> ScratchUpdates.adagrad(1e-3);
            case "rmsprop", "rmsprop-centered" -> ScratchUpdates.rmsprop(1e-3, 0.9);
            case "adadelta" -> ScratchUpdates.adadelta(0.9);
            case "adam", "amsgrad", "adamw", "adamax", "nadam", "radam", "lamb" -> ScratchUpdates.adam(1e-3);
            case "yogi" -> ScratchUpdates.yogi(1e-3);
            default -> throw new IllegalArgumentException("algorithm = " + algorithm);
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
        Optimizer optimizer = OptimizerCatalog.entry(algorithm).algorithm();
        trainer = new Trainer(params, optimizer, LrSchedule.constant(1e-3), pool)
                .nonFinite(NonFinite.OFF);
        checkedTrainer = new Trainer(params, optimizer, LrSchedule.constant(1e-3), pool).clipByNorm(1e9);
        tp = Tensor.wrap(params.values().clone(), 0, N);
        tg = Tensor.wrap(params.grads().clone(), 0, N);
        scratch = scratch(algorithm);
        tState = new Tensor[scratch.stateSlots()];
        for (int i = 0; i < tState.length; i++) tState[i] = Tensor.zeros(N);
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
     */
    @Benchmark
    public Tensor tensorApiStep() {
        tp = scratch.update(tp, tg, tState);
        scratch.endStep();
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

    /** The species of Gradus's streaming kernels ({@link SimdSupport#streamingBits}), so the triad is their peer. */
    private static final VectorSpecies<Float> SPECIES = VectorSpecies.of(float.class,
            VectorShape.forBitSize(SimdSupport.streamingBits(FloatVector.SPECIES_PREFERRED.vectorBitSize())));

    /** The bandwidth peer: y += a x over N floats, chunked on the same pool (12 bytes per element). */
    @Benchmark
    public float[] triad() {
        int chunk = 1 << 16;
        pool.forEach(N / chunk, c -> ArrayKernels.get().axpy(1e-3f, x, c * chunk, y, c * chunk, chunk));
        return y;
    }
}
