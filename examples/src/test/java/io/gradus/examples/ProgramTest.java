package io.gradus.examples;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The program end to end: {@code all --quick} runs every section to the end, writes valid,
 * non-blank PNG files with their series drawn, and a report.md that holds every printed line.
 */
class ProgramTest {

    @TempDir
    static Path out;
    static String stdout, stderr;
    static int exitCode;

    @BeforeAll
    static void runAll() {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        exitCode = Gradus.execute(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                "all", "--quick", "--progress", "lines", "--out", out.toString());
        stdout = o.toString(StandardCharsets.UTF_8);
        stderr = e.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everySectionRunsToTheEnd() {
        assertEquals(0, exitCode, stderr);
        for (Section s : Sections.all()) assertTrue(stdout.contains("== " + s.title() + " (" + s.name() + ")"), s.name());
        assertFalse(stderr.contains("failed"), stderr);
    }

    @Test
    void printedNumbersAreTheBooksAndLandInTheReport() throws Exception {
        String report = Files.readString(out.resolve("report.md"));
        for (String expected : List.of("epoch 10, x: 0.06046617599999997", "epoch 10, x: 7.269860168684531",
                "epoch 20, x1 -0.057646, x2 -0.000073", "epoch 20, x1 0.007188, x2 0.002553",
                "epoch 20, x1 -2.382563, x2 -0.158591", "epoch 20, x1 -0.010599, x2 0.000000", "f'(4) = 0.0013",
                "Learning rate is now 0.10", "Performance in Gigaflops: block ")) {
            assertTrue(stdout.contains(expected), "stdout lacks " + expected);
            assertTrue(report.contains(expected), "report.md lacks " + expected);
        }
        // Every result line printed (not the program's own headers) is in the report.
        for (String line : stdout.split("\n")) {
            if (line.isBlank() || line.startsWith("== ") || line.startsWith("Figures and report")) continue;
            assertTrue(report.contains(line), "report.md lacks the printed line: " + line);
        }
        assertTrue(stdout.matches("(?s).*loss: 0\\.2\\d\\d, \\d+\\.\\d{3} sec/epoch.*"), "no airfoil line");
        assertTrue(stderr.contains("schedules square root: "), "no progress lines on stderr: " + stderr);
    }

    @Test
    void everyFigureIsAValidNonBlankPngInTheReport() throws Exception {
        String report = Files.readString(out.resolve("report.md"));
        List<Path> pngs;
        try (Stream<Path> files = Files.list(out)) {
            pngs = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        assertTrue(pngs.size() >= 50, "only " + pngs.size() + " figures");
        for (Section s : Sections.all()) {
            String prefix = s.title().split(" ")[0] + "-";
            assertTrue(pngs.stream().anyMatch(p -> p.getFileName().toString().startsWith(prefix)), "no figure of " + s.name());
        }
        for (Path png : pngs) {
            byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 8);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head, png + " is not a PNG");
            BufferedImage img = ImageIO.read(png.toFile());
            assertNotNull(img, png.toString());
            Set<Integer> colours = new HashSet<>();
            int coloured = 0;
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int rgb = img.getRGB(x, y) & 0xffffff;
                    colours.add(rgb);
                    int r = rgb >> 16, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                    if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) coloured++; // not white, grey or black
                }
            }
            assertTrue(colours.size() > 10, png + " is blank");
            assertTrue(coloured > 200, png + " has no coloured series drawn (" + coloured + " coloured pixels)");
            assertTrue(report.contains("](" + png.getFileName() + ")"), "report.md does not show " + png.getFileName());
        }
    }

    @Test
    void helpListsEverySubcommandWithADescription() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(o, true, StandardCharsets.UTF_8);
        assertEquals(0, Gradus.execute(p, p, "--help"));
        String help = o.toString(StandardCharsets.UTF_8);
        for (Section s : Sections.all()) assertTrue(help.contains(s.name() + " ") && help.contains(s.title()), s.name());
        assertTrue(help.contains("all"));
    }

    /** Without Fashion-MNIST, 11.11 fails with the data hub's one message: where it looked, how to get the files. */
    @Test
    void aMissingDatasetGivesOneClearMessage(@TempDir Path empty) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        var before = Run.hubs;
        Run.hubs = () -> new io.gradus.core.data.DataHub(List.of(empty), empty.resolve("cache"), false);
        try {
            int code = Gradus.execute(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                    "schedules", "--quick", "--out", empty.resolve("out").toString());
            String err = e.toString(StandardCharsets.UTF_8);
            assertEquals(1, code, err);
            assertTrue(err.contains("schedules failed: cannot find train-images-idx3-ubyte.gz"), err);
            assertTrue(err.contains("apt-get install") && err.contains("dataset-fashion-mnist"), err);
            assertFalse(err.contains("\tat "), "a stack trace instead of a message: " + err);
        } finally {
            Run.hubs = before;
        }
    }

    @Test
    void badOptionsAreRefusedByName() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(o, true, StandardCharsets.UTF_8);
        assertNotEquals(0, Gradus.execute(p, p, "gd", "--progress", "sometimes"));
        assertTrue(o.toString(StandardCharsets.UTF_8).contains("--progress"), o.toString(StandardCharsets.UTF_8));
        assertNotEquals(0, Gradus.execute(p, p, "nosuchsection"));
        o.reset();
        assertNotEquals(0, Gradus.execute(p, p, "schedules", "--epochs", "0"));
        String epochs = o.toString(StandardCharsets.UTF_8);
        assertTrue(epochs.contains("--epochs") && epochs.contains("0; expected a count >= 1"), epochs);
    }

    @Test
    void anOutputPathThatIsAFileIsRefusedBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("report.md"), "keep me");
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(o, true, StandardCharsets.UTF_8);
        assertEquals(2, Gradus.execute(p, p, "gd", "--out", file.toString()));
        assertTrue(o.toString(StandardCharsets.UTF_8).contains("--out " + file + ": not a directory"), o.toString(StandardCharsets.UTF_8));
        assertEquals("keep me", Files.readString(file));
    }
}
