package io.gradus.bench;

import io.gradus.gpu.DeviceContext;
import io.gradus.gpu.DeviceProbe;
import io.gradus.gpu.GpuDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The device check keeps what it measured when a part of it fails or runs out of time, and
 * refuses to report another device's figures as a GPU's.
 */
class DeviceCheckTest {

    /**
     * A section whose kernel does not build (an OpenCL error on pocl, the Java message on the host)
     * is recorded with its error and the kernel's name; the sections before and after it keep their
     * figures, and results.json holds all of it.
     */
    @Test
    void aFailingSectionIsRecordedAndTheOthersStillRun(@TempDir Path dir) throws Exception {
        List<String> ran = new ArrayList<>();
        try (DeviceContext device = DeviceContext.open(DeviceProbe.selected())) {
            List<DeviceCheck.Section> sections = List.of(
                    new DeviceCheck.Section("first", (json, summary) -> {
                        ran.add("first");
                        json.put("first", 1.5);
                        summary.add("first: 1.5");
                    }),
                    new DeviceCheck.Section("faulty", (json, summary) -> {
                        ran.add("faulty");
                        if (!device.isOpenCL()) throw new IllegalStateException("kernel broken_kernel: the host device runs no OpenCL C");
                        device.kernel("__kernel void broken_kernel(__global float* x) { x[0] = undeclared; }", "broken_kernel");
                        device.finish();
                    }),
                    new DeviceCheck.Section("faultyLaunch", (json, summary) -> {
                        ran.add("faultyLaunch");
                        if (!device.isOpenCL()) throw new IllegalStateException("kernel sized_kernel: the host device runs no OpenCL C");
                        // a launch the driver refuses at run time: work-groups of 8 for a kernel that requires 16
                        var k = device.kernel("__kernel __attribute__((reqd_work_group_size(16, 1, 1)))"
                                + " void sized_kernel(__global float* x) { x[get_global_id(0)] = 1.0f; }", "sized_kernel");
                        try (var x = device.allocate(64)) {
                            k.launchInGroups(64, 8, x);
                            device.finish();
                        }
                    }),
                    new DeviceCheck.Section("last", (json, summary) -> {
                        ran.add("last");
                        json.put("last", 2.5);
                    }));
            Map<String, Object> json = new LinkedHashMap<>();
            List<Throwable> reopened = new ArrayList<>();
            DeviceCheck.Outcome outcome = DeviceCheck.runSections(sections, json, dir, 60, reopened::add);
            assertEquals(List.of("first", "faulty", "faultyLaunch", "last"), ran);
            assertEquals(2, reopened.size(), "after each failed section: the device context is reopened");
            assertEquals(List.of("faulty", "faultyLaunch"), List.copyOf(outcome.failed().keySet()));
            assertTrue(outcome.failed().get("faulty").contains("broken_kernel"), outcome.failed().toString());
            assertTrue(outcome.failed().get("faultyLaunch").contains("sized_kernel"), outcome.failed().toString());
            assertEquals(List.of(), outcome.skipped());
            String written = Files.readString(dir.resolve("results.json"));
            assertTrue(written.contains("\"first\": 1.5") && written.contains("\"last\": 2.5"), written);
            assertTrue(written.contains("\"failed\": {\"faulty\": \""), written);
            assertTrue(written.contains("faulty: FAILED, "), written);
            assertFalse(Files.exists(dir.resolve("results.json.tmp")));
        }
    }

    /** Past the deadline no section starts: each is named as skipped, and what finished before it is kept. */
    @Test
    void sectionsPastTheDeadlineAreSkippedAndNamed(@TempDir Path dir) throws Exception {
        List<String> ran = new ArrayList<>();
        List<DeviceCheck.Section> sections = List.of(
                new DeviceCheck.Section("slow", (json, summary) -> {
                    ran.add("slow");
                    json.put("slow", true);
                    Thread.sleep(300);
                }),
                new DeviceCheck.Section("late", (json, summary) -> ran.add("late")),
                new DeviceCheck.Section("later", (json, summary) -> ran.add("later")));
        DeviceCheck.Outcome outcome = DeviceCheck.runSections(sections, new LinkedHashMap<>(), dir, 0.1);
        assertEquals(List.of("slow"), ran);
        assertEquals(List.of("late", "later"), outcome.skipped());
        String written = Files.readString(dir.resolve("results.json"));
        assertTrue(written.contains("\"slow\": true") && written.contains("\"skipped\": [\"late\", \"later\"]"), written);
        assertTrue(outcome.summary().contains("late: skipped, the deadline of 0.1 s had passed"), outcome.summary().toString());
    }

    /** {@code -Dgradus.device=gpu} with no GPU: refused, naming what was found and the problems; other choices run. */
    @Test
    void askingForAGpuWithoutOneIsRefusedByName() {
        GpuDevice host = GpuDevice.host();
        var refusal = DeviceCheck.refusal("gpu", host, List.of(), List.of("loading the OpenCL library libOpenCL.so.1: not found"));
        assertTrue(refusal.isPresent());
        assertEquals("-Dgradus.device=gpu, but no GPU came up: the device chosen is " + host.describe()
                + "; OpenCL devices found: []; problems: loading the OpenCL library libOpenCL.so.1: not found."
                + " Expected an OpenCL GPU (check the driver's libnvidia-opencl.so.1 and its ICD file).", refusal.get());
        assertTrue(DeviceCheck.refusal(null, host, List.of(), List.of()).isEmpty(), "the default takes what there is");
        assertTrue(DeviceCheck.refusal("cpu", host, List.of(), List.of()).isEmpty());
        GpuDevice selected = DeviceProbe.selected();
        if (selected.type().equals("GPU")) assertTrue(DeviceCheck.refusal("gpu", selected, List.of(selected), List.of()).isEmpty());
    }

    /**
     * End to end: {@code DeviceCheck} under {@code -Dgradus.device=gpu} on a machine whose OpenCL
     * device is not a GPU (pocl here and in CI, or none) exits with 3 before measuring anything,
     * says why on stderr and leaves a results.json holding only the refusal.
     */
    @Test
    void theCheckExitsNonZeroWhenAGpuIsAskedForAndAbsent(@TempDir Path dir) throws Exception {
        if (DeviceProbe.selected().type().equals("GPU")) return; // a machine with a GPU has nothing to refuse
        String jvm = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(jvm, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Dgradus.device=gpu", "-cp", System.getProperty("java.class.path"), DeviceCheck.class.getName(), dir.toString(), "--quick")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), output);
        assertEquals(3, p.exitValue(), output);
        assertTrue(output.contains("device check: -Dgradus.device=gpu, but no GPU came up"), output);
        String written = Files.readString(dir.resolve("results.json"));
        assertTrue(written.contains("\"refused\": ") && !written.contains("\"parity\""), written);
    }

    /** A missing or malformed option value names the option, the value and what was expected. */
    @Test
    void badOptionValuesAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> DeviceCheck.option(new String[] {"--deadline"}, 0, Double::parseDouble, "seconds >= 0"));
        assertTrue(e.getMessage().startsWith("--deadline: no value; expected seconds >= 0; usage: DeviceCheck"), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class,
                () -> DeviceCheck.option(new String[] {"--repeats", "ten"}, 0, Integer::valueOf, "a count >= 1"));
        assertTrue(f.getMessage().startsWith("--repeats ten: expected a count >= 1; "), f.getMessage());
        assertEquals(List.of(1 << 20, 512), DeviceCheck.option(new String[] {"--sizes", "1M,512"}, 0, DeviceCheck::parseSizes, "sizes"));
    }
}
