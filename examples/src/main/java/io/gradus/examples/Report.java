package io.gradus.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Appends one section's results to {@code report.md}: the printed lines in code blocks, each figure
 * right after the lines printed before it. The file is rewritten whole to a temporary name and
 * renamed, so an interrupted run never leaves half a report.
 */
final class Report {

    /** What a run produced, in order: a printed line, or a figure (file name and caption). */
    sealed interface Entry permits Line, Figure {}

    record Line(String text) implements Entry {}

    record Figure(String file, String caption) implements Entry {}

    private Report() {}

    static String markdown(String heading, List<Entry> entries) {
        StringBuilder md = new StringBuilder("## ").append(heading).append("\n\n");
        boolean inCode = false;
        for (Entry e : entries) {
            if (e instanceof Line line) {
                if (!inCode) md.append("```text\n");
                inCode = true;
                md.append(line.text()).append('\n');
            } else if (e instanceof Figure figure) {
                if (inCode) md.append("```\n\n");
                inCode = false;
                md.append("![").append(figure.caption()).append("](").append(figure.file()).append(")\n\n");
            }
        }
        if (inCode) md.append("```\n\n");
        return md.toString();
    }

    static void append(Path report, String markdown) throws IOException {
        Path dir = report.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String before = Files.exists(report) ? Files.readString(report, StandardCharsets.UTF_8) : "# Gradus: chapter 11 experiments\n\n";
        Path tmp = Files.createTempFile(dir, ".report", ".tmp");
        try {
            Files.writeString(tmp, before + markdown, StandardCharsets.UTF_8);
            Files.move(tmp, report, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
