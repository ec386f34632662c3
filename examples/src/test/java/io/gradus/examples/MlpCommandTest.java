package io.gradus.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code gradus mlp}: one quick epoch (10,000 images) with Adam on the CPU and on the device (pocl
 * in CI), the book's line and examples/sec printed, the loss curve drawn, and both runs learning
 * the same model (the same weights and minibatches: their accuracies within two points).
 */
class MlpCommandTest {

    @TempDir
    Path out;

    static final Pattern LINE = Pattern.compile("train loss ([0-9.]+), train acc ([0-9.]+), test acc ([0-9.]+)\\n");

    double[] run(String device, Path dir) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Gradus.execute(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                "mlp", "--quick", "--optimizer", "adam", "--device", device, "--progress", "none", "--out", dir.toString());
        String stdout = o.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, e.toString(StandardCharsets.UTF_8));
        assertTrue(stdout.contains("examples/sec on " + (device.equals("cpu") ? "cpu" : "")), stdout);
        Matcher m = LINE.matcher(stdout);
        assertTrue(m.find(), stdout);
        assertTrue(Files.exists(dir.resolve("mlp-adam-loss.png")), "the loss curve");
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))};
    }

    @Test
    void trainsOnTheCpuAndOnTheDeviceAlike() {
        double[] cpu = run("cpu", out.resolve("cpu"));
        double[] gpu = run("gpu", out.resolve("gpu"));
        assertTrue(cpu[2] > 0.70, "one epoch of Adam on 10,000 images: test acc " + cpu[2]);
        assertEquals(cpu[0], gpu[0], 0.02, "train loss on the CPU and the device");
        assertEquals(cpu[2], gpu[2], 0.02, "test accuracy on the CPU and the device");
    }

    @Test
    void anUnknownOptimizerIsNamedWithTheChoices() {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Gradus.execute(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                "mlp", "--optimizer", "lbfgs", "--out", out.toString());
        assertEquals(2, code);
        assertTrue(e.toString(StandardCharsets.UTF_8).contains("algorithm 'lbfgs': expected one of [sgd, momentum"), e.toString());
    }
}
