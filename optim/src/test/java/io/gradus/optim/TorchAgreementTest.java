package io.gradus.optim;

import io.gradus.optim.algorithms.Adagrad;
import io.gradus.optim.algorithms.Adamax;
import io.gradus.optim.algorithms.Algorithm;
import io.gradus.optim.algorithms.Lamb;
import io.gradus.optim.algorithms.Lion;
import io.gradus.optim.algorithms.Momentum;
import io.gradus.optim.algorithms.NAdam;
import io.gradus.optim.algorithms.RAdam;
import io.gradus.optim.algorithms.RmsProp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The algorithms beyond the chapter, and PyTorch's options on the chapter's (SGD's dampening,
 * RMSProp's momentum, Adagrad's rate decay and initial accumulator), against PyTorch 1.13: the
 * trajectories in {@code torch-agreement.tsv} were written by
 * {@code optim/src/test/python/torch_agreement.py} (float64; 10 steps on 8 coordinates whose
 * gradients include 0, 1e-20 and 1e4; see the script). Gradus's double-precision reference must
 * follow them to 1e-10, and its float kernels (scalar and vector) to float rounding.
 */
class TorchAgreementTest {

    /** The Gradus rule and learning rate of each case of the script, with the same hyperparameters. */
    static final Map<String, Algorithm> CASES = new LinkedHashMap<>();

    static {
        CASES.put("adamax", new Adamax());
        CASES.put("adamax-wd", new Adamax(0.8, 0.99, 1e-6, 0.01, true));
        CASES.put("nadam-torch113", new NAdam().withTorch113(true));
        CASES.put("nadam-torch113-wd", new NAdam(0.9, 0.99, 1e-8, 0.01, 0.01, true));
        CASES.put("sgd-dampening", new Momentum(0.9, 0.5, 0.01, false));
        CASES.put("rmsprop-momentum", new RmsProp(0.99, 1e-8, false, false, 0.9, 0));
        CASES.put("rmsprop-centered-momentum", new RmsProp(0.9, 1e-8, false, true, 0.5, 0.01));
        CASES.put("adagrad-lr-decay", new Adagrad(1e-10, false, 0.05, 0.1, 0));
        CASES.put("nadam", new NAdam());
        CASES.put("radam", new RAdam());
        CASES.put("radam-b2", new RAdam(0.9, 0.9, 1e-8, 0.01, 5));
        CASES.put("lion", new Lion());
        CASES.put("lion-wd", new Lion(0.95, 0.98, 0.1));
        CASES.put("lamb", new Lamb());
        CASES.put("lamb-no-bias-correction", new Lamb(0.9, 0.99, 1e-6, 0.1, false));
    }

    static final Map<String, Double> RATES = Map.ofEntries(Map.entry("adamax", 0.002), Map.entry("adamax-wd", 0.002),
            Map.entry("nadam-torch113", 0.002), Map.entry("nadam-torch113-wd", 0.002), Map.entry("sgd-dampening", 0.01),
            Map.entry("rmsprop-momentum", 0.01), Map.entry("rmsprop-centered-momentum", 0.01), Map.entry("adagrad-lr-decay", 0.1),
            Map.entry("nadam", 0.002), Map.entry("radam", 0.001), Map.entry("radam-b2", 0.001), Map.entry("lion", 1e-4),
            Map.entry("lion-wd", 3e-4), Map.entry("lamb", 0.01), Map.entry("lamb-no-bias-correction", 0.005));

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

    @TestFactory
    List<DynamicTest> referenceAndKernelsFollowPyTorch() throws IOException {
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
                float[] pScalar = new float[n], pVector = new float[n];
                for (int i = 0; i < n; i++) pScalar[i] = pVector[i] = (float) x[i];
                float[][] sScalar = new float[a.stateArrays()][n], sVector = new float[a.stateArrays()][n];
                for (int k = 0; k < a.stateArrays(); k++) {
                    for (int i = 0; i < n; i++) {
                        state[i][k] = a.initialState(k);
                        sScalar[k][i] = sVector[k][i] = (float) a.initialState(k);
                    }
                }
                for (Row row : rows.subList(1, rows.size())) {
                    Step step = new Step(row.step(), lr, 1, 0);
                    float[] g = new float[n];
                    for (int i = 0; i < n; i++) g[i] = (float) row.g()[i];
                    a.referenceSlice(step, x, row.g(), state); // the 8 coordinates are one tensor (LAMB's norms)
                    a.updateScalar(step, pScalar, g, sScalar, 0, n);
                    if (Algorithm.VECTOR) a.updateVector(step, pVector, g, sVector, 0, n);
                    for (int i = 0; i < n; i++) {
                        double want = row.x()[i];
                        String at = c.getKey() + " step " + row.step() + " coordinate " + i + " (g = " + row.g()[i] + ")";
                        assertEquals(want, x[i], 1e-10 * Math.max(1, Math.abs(want)), "reference, " + at);
                        assertEquals(want, pScalar[i], 3e-6 * Math.max(1, Math.abs(want)), "scalar kernel, " + at);
                        if (Algorithm.VECTOR) assertEquals(pScalar[i], pVector[i], "vector kernel, bit for bit, " + at);
                    }
                }
            }));
        }
        return tests;
    }
}
