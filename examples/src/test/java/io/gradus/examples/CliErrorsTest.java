package io.gradus.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The command line's own errors: checked before any section runs, said once, with the reason. */
class CliErrorsTest {

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Gradus.execute(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8), args);
        return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anOutputFolderThatCannotBeWrittenStopsTheProgramBeforeAnySection() {
        Result r = run("all", "--quick", "--out", "/proc/x");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("--out /proc/x: cannot write there ("), r.err());
        assertTrue(r.err().contains("expected a writable directory for the figures and report.md"), r.err());
        assertFalse(r.out().contains("== "), "no section ran: " + r.out());
        assertFalse(r.out().contains("Figures and report"), r.out());
    }

    @Test
    void everyCommandPrintsItsVersion() {
        for (String command : new String[] {"gd", "all", "mlp"}) {
            Result r = run(command, "--version");
            assertEquals(0, r.code());
            assertTrue(r.out().startsWith("Gradus 0.1.0"), command + ": " + r.out());
        }
    }
}
