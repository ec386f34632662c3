package io.gradus.spark.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line as a user runs it: the airfoil run prints the book's loss for Spark and the single machine. */
class GradusSparkTest {

    @Test
    void airfoilPrintsTheBooksLossForBothRuns() {
        var captured = new java.io.ByteArrayOutputStream();
        var previous = System.out;
        int code;
        try (var out = new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8)) {
            System.setOut(out);
            code = new CommandLine(new GradusSpark()).execute("airfoil", "--epochs", "1");
        } finally {
            System.setOut(previous);
        }
        String text = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        // the book's minibatch SGD (lr 0.05, batch 10) prints 0.245-0.248 after its epochs
        Matcher spark = Pattern.compile("epoch 1  spark:  loss: (\\d\\.\\d+)").matcher(text);
        Matcher single = Pattern.compile("epoch 1  single: loss: (\\d\\.\\d+).*difference (\\S+) of the largest").matcher(text);
        assertTrue(spark.find() && single.find(), text);
        assertTrue(Math.abs(Double.parseDouble(spark.group(1)) - 0.245) <= 0.01, text);
        assertEquals(spark.group(1), single.group(1), text);
        assertTrue(Double.parseDouble(single.group(2)) <= 1e-6, text);
    }

    @Test
    void aBadOptionIsNamed() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new GradusSpark());
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("fashion", "--state", "SOMETIMES");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--state") && err.toString().contains("SOMETIMES"), err.toString());
    }
}
