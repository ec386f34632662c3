package io.gradus.bench;

import io.gradus.core.nn.Parameter;
import io.gradus.core.tensor.Tensor;
import io.gradus.gpu.DeviceContext;
import io.gradus.optim.NonFinite;
import io.gradus.optim.OptimizerCatalog;
import io.gradus.optim.Params;
import io.gradus.optim.Trainer;
import io.gradus.optim.schedule.LrSchedule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One optimizer step of a Trainer whose arrays live on the OpenCL device ({@link
 * DeviceContext#shared()}: pocl on a machine without a GPU, {@code -Dgradus.device=...} to choose):
 * gradients already on the device, the rule's launch (LAMB: its two passes per tensor and one
 * read-back of its sums), waited for. {@code tensors} cuts the parameters into that many equal
 * tensors (LAMB's passes run per tensor). Compare with {@link OptimizerBench#fusedStep} (the CPU)
 * and with the device's copy bandwidth ({@code DeviceCheck}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "--enable-native-access=ALL-UNNAMED"})
public class DeviceStepBench {

    @Param({"sgd", "adam", "lamb"})
    public String algorithm;

    @Param({"4194304"})
    public int parameters;

    @Param({"1", "16"})
    public int tensors;

    private Trainer trainer;
    private DeviceContext device;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(1);
        Map<String, Parameter> named = new LinkedHashMap<>();
        int each = parameters / tensors;
        for (int k = 0; k < tensors; k++) {
            float[] v = new float[each];
            for (int i = 0; i < each; i++) v[i] = (float) r.nextGaussian();
            named.put("w" + k, new Parameter("w" + k, Tensor.wrap(v, 0, each)));
        }
        Params params = Params.of(named);
        float[] g = new float[params.size()];
        for (int i = 0; i < g.length; i++) g[i] = 1e-3f * (float) r.nextGaussian();
        device = DeviceContext.shared();
        trainer = new Trainer(params, OptimizerCatalog.entry(algorithm).algorithm(), LrSchedule.constant(1e-3), device)
                .nonFinite(NonFinite.OFF);
        trainer.deviceGradients().upload(g);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
    }

    @Benchmark
    public long step() {
        trainer.step(1);
        device.finish();
        return trainer.updates();
    }
}
