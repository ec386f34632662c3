package io.gradus.bench;

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
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
public class OptimizerBench {

    static final int N = 16 << 20;

    @Param({"sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam", "amsgrad", "yogi"})
    public String algorithm;

    Params params;
    Trainer trainer, checkedTrainer;
    Parallel pool;
    float[] x, y;

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
        x = new float[N];
        y = new float[N];
        for (int i = 0; i < N; i++) x[i] = r.nextFloat();
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

    /** The bandwidth peer: y += a x over N floats, chunked on the same pool (12 bytes per element). */
    @Benchmark
    public float[] triad() {
        int chunk = 1 << 16;
        pool.forEach(N / chunk, c -> ArrayKernels.get().axpy(1e-3f, x, c * chunk, y, c * chunk, chunk));
        return y;
    }
}
