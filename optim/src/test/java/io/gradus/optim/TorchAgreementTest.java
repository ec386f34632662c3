package io.gradus.optim;

import io.gradus.optim.algorithms.Adadelta;
import io.gradus.optim.algorithms.Adagrad;
import io.gradus.optim.algorithms.Adam;
import io.gradus.optim.algorithms.Adamax;
import io.gradus.optim.algorithms.Algorithm;
import io.gradus.optim.algorithms.AlgorithmPaths;
import io.gradus.optim.algorithms.KernelOptimizer;
import io.gradus.optim.algorithms.Lamb;
import io.gradus.optim.algorithms.Lion;
import io.gradus.optim.algorithms.Momentum;
import io.gradus.optim.algorithms.NAdam;
import io.gradus.optim.algorithms.RAdam;
import io.gradus.optim.algorithms.RmsProp;
import io.gradus.optim.algorithms.Sgd;
import io.gradus.optim.algorithms.Yogi;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static io.gradus.optim.WeightDecay.coupled;
import static io.gradus.optim.WeightDecay.decoupled;
import static io.gradus.optim.WeightDecay.none;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The algorithms beyond the chapter, and PyTorch's options on the chapter's (SGD's dampening,
 * RMSProp's momentum, Adagrad's rate decay and initial accumulator), against PyTorch 1.13: the
 * trajectories in {@code torch-agreement.tsv} were written by
 * {@code optim/src/test/python/torch_agreement.py} (float64; 10 steps on 8 coordinates whose
 * gradients include 0, 1e-20 and 1e4; every algorithm at a second-moment decay of 0.999 and
 * 0.9999; see the script). Gradus's double-precision reference must follow them to 1e-10. Its
 * float32 kernels (scalar, and vector bit for bit; the device's translation is the scalar kernel's
 * bits on pocl, {@link DeviceParityTest}) must stay within {@code max(2 e32, 1e-6)} of them, in the
 * worst {@code |x - ref| / max(1e-3, |ref|)} over all steps and coordinates, where {@code e32} is
 * PyTorch's own float32 error on the same case ({@code torch-agreement-float32.tsv}, written by the
 * same script): float32 Gradus as close to the exact trajectory as float32 PyTorch, within a factor 2.
 */
class TorchAgreementTest {

    /** The Gradus rule and learning rate of each case of the script, with the same hyperparameters. */
    static final Map<String, Algorithm> CASES = new LinkedHashMap<>();

    static {
        CASES.put("adamax", Optimizers.adamax());
        CASES.put("adamax-wd", new Adamax(0.8, 0.99, 1e-6, coupled(0.01), true));
        CASES.put("nadam-torch113", Optimizers.nadam().withTorch113(true));
        CASES.put("nadam-torch113-wd", new NAdam(0.9, 0.99, 1e-8, coupled(0.01), 0.01, true));
        CASES.put("sgd-dampening", new Momentum(0.9, 0.5, coupled(0.01), false));
        CASES.put("rmsprop-momentum", new RmsProp(0.99, 1e-8, false, false, 0.9, none()));
        CASES.put("rmsprop-centered-momentum", new RmsProp(0.9, 1e-8, false, true, 0.5, coupled(0.01)));
        CASES.put("adagrad-lr-decay", new Adagrad(1e-10, false, 0.05, 0.1, none()));
        CASES.put("nadam", Optimizers.nadam());
        CASES.put("radam", Optimizers.radam());
        CASES.put("radam-b2", new RAdam(0.9, 0.9, 1e-8, coupled(0.01), 5));
        CASES.put("lion", Optimizers.lion());
        CASES.put("lion-wd", new Lion(0.95, 0.98, decoupled(0.1)));
        CASES.put("lamb", Optimizers.lamb());
        CASES.put("lamb-no-bias-correction", new Lamb(0.9, 0.99, 1e-6, decoupled(0.1), false, 0, Double.POSITIVE_INFINITY));
        CASES.put("sgd", new Sgd(coupled(0.01)));
        CASES.put("momentum", new Momentum(0.9, 0, none(), false));
        CASES.put("nesterov", new Momentum(0.9, 0, coupled(0.01), true));
        CASES.put("adagrad", new Adagrad(1e-10, false, 0, 0, none()));
        CASES.put("rmsprop-0.999", new RmsProp(0.999, 1e-8, false, false, 0, none()));
        CASES.put("rmsprop-0.9999", new RmsProp(0.9999, 1e-8, false, true, 0, none()));
        CASES.put("adadelta-0.999", new Adadelta(0.999, 1e-6, none()));
        CASES.put("adadelta-0.9999", new Adadelta(0.9999, 1e-6, coupled(0.01)));
        CASES.put("adam-0.999", new Adam(0.9, 0.999, 1e-8, none(), false));
        CASES.put("adam-0.9999", new Adam(0.9, 0.9999, 1e-8, coupled(0.01), false));
        CASES.put("adamw-0.999", new Adam(0.9, 0.999, 1e-8, decoupled(0.01), false));
        CASES.put("adamw-0.9999", new Adam(0.9, 0.9999, 1e-8, decoupled(0.1), false));
        CASES.put("amsgrad-0.999", new Adam(0.9, 0.999, 1e-8, none(), true));
        CASES.put("amsgrad-0.9999", new Adam(0.9, 0.9999, 1e-8, none(), true));
        CASES.put("yogi-0.999", new Yogi(0.9, 0.999, 1e-3, none()));
        CASES.put("yogi-0.9999", new Yogi(0.9, 0.9999, 1e-3, none()));
        CASES.put("adamax-0.9999", new Adamax(0.9, 0.9999, 1e-8, none(), true));
        CASES.put("nadam-0.9999", new NAdam(0.9, 0.9999, 1e-8, none(), 0.004, false));
        CASES.put("nadam-torch113-0.9999", new NAdam(0.9, 0.9999, 1e-8, none(), 0.004, true));
        CASES.put("radam-0.9999", new RAdam(0.9, 0.9999, 1e-8, none(), 5));
        CASES.put("lion-0.999", new Lion(0.9, 0.999, none()));
        CASES.put("lion-0.9999", new Lion(0.9, 0.9999, decoupled(0.01)));
        CASES.put("lamb-0.9999", new Lamb(0.9, 0.9999, 1e-6, decoupled(0.01), true, 0, Double.POSITIVE_INFINITY));
    }

    static final Map<String, Double> RATES = Map.ofEntries(Map.entry("adamax", 0.002), Map.entry("adamax-wd", 0.002),
            Map.entry("nadam-torch113", 0.002), Map.entry("nadam-torch113-wd", 0.002), Map.entry("sgd-dampening", 0.01),
            Map.entry("rmsprop-momentum", 0.01), Map.entry("rmsprop-centered-momentum", 0.01), Map.entry("adagrad-lr-decay", 0.1),
            Map.entry("nadam", 0.002), Map.entry("radam", 0.001), Map.entry("radam-b2", 0.001), Map.entry("lion", 1e-4),
            Map.entry("lion-wd", 3e-4), Map.entry("lamb", 0.01), Map.entry("lamb-no-bias-correction", 0.005),
            Map.entry("sgd", 0.01), Map.entry("momentum", 0.01), Map.entry("nesterov", 0.01), Map.entry("adagrad", 0.1),
            Map.entry("rmsprop-0.999", 0.01), Map.entry("rmsprop-0.9999", 0.01), Map.entry("adadelta-0.999", 1.0),
            Map.entry("adadelta-0.9999", 1.0), Map.entry("adam-0.999", 0.01), Map.entry("adam-0.9999", 0.01),
            Map.entry("adamw-0.999", 0.01), Map.entry("adamw-0.9999", 0.01), Map.entry("amsgrad-0.999", 0.01),
            Map.entry("amsgrad-0.9999", 0.01), Map.entry("yogi-0.999", 0.01), Map.entry("yogi-0.9999", 0.01),
            Map.entry("adamax-0.9999", 0.002), Map.entry("nadam-0.9999", 0.002), Map.entry("nadam-torch113-0.9999", 0.002),
            Map.entry("radam-0.9999", 0.001), Map.entry("lion-0.999", 1e-4), Map.entry("lion-0.9999", 1e-4),
            Map.entry("lamb-0.9999", 0.01));

    /** One line of the file: the gradients of a step and the parameters after it. */
    record Row(int step, double[] g, double[] x) {}

    static Map<String, List<Row>> trajectories() throws IOException {
        Map<String, List<Row>> out = new LinkedHashMap<>();
        try (InputStream in = TorchAgreementTest.class.getResourceAsStream("torch-agreement.tsv")) {
            assertNotNull(in, "torch-agreement.tsv is missing from the test resources");
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] f = line.split("\t", -1);
                int n = (f.length - 2) / 2;
                double[] g = new double[n], x = new double[n];
                for (int i = 0; i < n; i++) {
                    g[i] = f[2 + i].isEmpty() ? Double.NaN : Double.parseDouble(f[2 + i]);
                    x[i] = Double.parseDouble(f[2 + n + i]);
                }
                out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new Row(Integer.parseInt(f[1]), g, x));
            }
        }
        return out;
    }

    /** PyTorch's own float32 error per case. */
    static Map<String, Double> torchFloat32Errors() throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        try (InputStream in = TorchAgreementTest.class.getResourceAsStream("torch-agreement-float32.tsv")) {
            assertNotNull(in, "torch-agreement-float32.tsv is missing from the test resources");
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] f = line.split("\t");
                out.put(f[0], Double.parseDouble(f[1]));
            }
        }
        return out;
    }

    /** The bound on a case's float32 error: twice PyTorch's own, and never below 1e-6. */
    static double bound(double torchError) {
        return Math.max(2 * torchError, 1e-6);
    }

    /** The case's float32 trajectory by {@code rule}'s scalar or vector kernel, and its worst error against the float64 rows. */
    static double float32Error(KernelOptimizer a, double lr, List<Row> rows, boolean vector, float[][] trajectoryOut) {
        int n = rows.getFirst().x().length;
        float[] p = new float[n];
        for (int i = 0; i < n; i++) p[i] = (float) rows.getFirst().x()[i];
        float[][] s = new float[a.stateArrays()][n];
        for (int k = 0; k < s.length; k++) java.util.Arrays.fill(s[k], (float) a.initialState(k));
        double worst = 0;
        for (Row row : rows.subList(1, rows.size())) {
            Step step = new Step(row.step(), lr, 1, 0);
            float[] g = new float[n];
            for (int i = 0; i < n; i++) g[i] = (float) row.g()[i];
            if (!(a instanceof Algorithm builtIn)) a.update(step, p, g, s, 0, n); // an own rule: the body's loop
            else if (vector) AlgorithmPaths.vector(builtIn, step, p, g, s, 0, n);
            else AlgorithmPaths.scalar(builtIn, step, p, g, s, 0, n);
            if (trajectoryOut != null) trajectoryOut[row.step()] = p.clone();
            for (int i = 0; i < n; i++) {
                worst = Math.max(worst, Math.abs(p[i] - row.x()[i]) / Math.max(1e-3, Math.abs(row.x()[i])));
            }
        }
        return worst;
    }

    @TestFactory
    List<DynamicTest> float32KernelsAreAsCloseToTheExactTrajectoryAsPyTorchsFloat32() throws IOException {
        Map<String, List<Row>> all = trajectories();
        Map<String, Double> torch32 = torchFloat32Errors();
        assertEquals(CASES.keySet(), torch32.keySet(), "the script's float32 errors and this test's cases");
        List<DynamicTest> tests = new ArrayList<>();
        for (var c : CASES.entrySet()) {
            tests.add(DynamicTest.dynamicTest(c.getKey() + " (" + c.getValue() + ")", () -> {
                List<Row> rows = all.get(c.getKey());
                double lr = RATES.get(c.getKey()), torchError = torch32.get(c.getKey());
                float[][] scalar = new float[rows.size()][], vector = new float[rows.size()][];
                double error = float32Error(c.getValue(), lr, rows, false, scalar);
                System.out.printf("float32 error %-28s Gradus %.2e  PyTorch %.2e  bound %.2e%n", c.getKey(), error, torchError, bound(torchError));
                assertTrue(error <= bound(torchError), c.getKey() + ": Gradus's float32 error " + error + " > max(2 x PyTorch's "
                        + torchError + ", 1e-6)");
                if (AlgorithmPaths.VECTOR) {
                    float32Error(c.getValue(), lr, rows, true, vector);
                    for (int t = 1; t < rows.size(); t++) assertArrayEquals(scalar[t], vector[t], c.getKey() + " step " + t + ": vector kernel, bit for bit");
                }
            }));
        }
        return tests;
    }

    /**
     * The test above sees the rounding this project fixed: Adam with {@code 1 - beta} computed in
     * float from the rounded betas ({@code 1f - (float) beta2}, off by +1.66e-4 relative at 0.9999)
     * leaves the bound on the 0.9999 case.
     */
    @org.junit.jupiter.api.Test
    void oneMinusBetaRoundedTwiceLeavesTheBound() throws IOException {
        String name = "adam-0.9999";
        Adam rounded = (Adam) CASES.get(name);
        KernelOptimizer twice = new KernelOptimizer() {
            @Override public String name() { return "adam-rounded-twice"; }
            @Override public int stateArrays() { return 2; }
            @Override public io.gradus.optim.algorithms.UpdateKernel kernel(Step step) {
                io.gradus.optim.algorithms.UpdateKernel k = rounded.kernel(step);
                try { // the moments' fields are package-private: set as the code before this change did
                    for (String[] f : new String[][] {{"rest1", "b1"}, {"rest2", "b2"}}) {
                        Class<?> moments = Class.forName("io.gradus.optim.algorithms.MomentRule"); // package-private
                        var rest = moments.getDeclaredField(f[0]);
                        var beta = moments.getDeclaredField(f[1]);
                        rest.setAccessible(true);
                        beta.setAccessible(true);
                        rest.setFloat(k, 1f - beta.getFloat(k));
                    }
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
                return k;
            }
        };
        double error = float32Error(twice, RATES.get(name), trajectories().get(name), false, null);
        double bound = bound(torchFloat32Errors().get(name));
        assertTrue(error > bound, "1f - (float) beta2 gives " + error + ", expected past the bound " + bound);
    }

    @TestFactory
    List<DynamicTest> theReferenceFollowsPyTorch() throws IOException {
        Map<String, List<Row>> all = trajectories();
        assertEquals(CASES.keySet(), all.keySet(), "the script's cases and this test's");
        List<DynamicTest> tests = new ArrayList<>();
        for (var c : CASES.entrySet()) {
            List<Row> rows = all.get(c.getKey());
            Algorithm a = c.getValue();
            double lr = RATES.get(c.getKey());
            tests.add(DynamicTest.dynamicTest(c.getKey() + " (" + a + ")", () -> {
                int n = rows.getFirst().x().length;
                assertEquals(11, rows.size(), "10 steps and the start");
                double[] x = rows.getFirst().x().clone();
                double[][] state = new double[n][a.stateArrays()];
                for (int k = 0; k < a.stateArrays(); k++) {
                    for (int i = 0; i < n; i++) state[i][k] = a.initialState(k);
                }
                for (Row row : rows.subList(1, rows.size())) {
                    Step step = new Step(row.step(), lr, 1, 0);
                    a.referenceSlice(step, x, row.g(), state); // the 8 coordinates are one tensor (LAMB's norms)
                    for (int i = 0; i < n; i++) {
                        double want = row.x()[i];
                        String at = c.getKey() + " step " + row.step() + " coordinate " + i + " (g = " + row.g()[i] + ")";
                        assertEquals(want, x[i], 1e-10 * Math.max(1, Math.abs(want)), "reference, " + at);
                    }
                }
            }));
        }
        return tests;
    }
}
