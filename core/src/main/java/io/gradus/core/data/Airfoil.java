package io.gradus.core.data;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * NASA's airfoil self-noise data as section 11.5.3 prepares it ({@code get_data_ch11}): the 1503
 * tab-separated rows of 6 columns are read, every column is whitened over all 1503 rows (minus
 * its mean, divided by its population standard deviation), and then the first 1,500 rows are
 * kept. Features are the first 5 columns, the label the last (the scaled sound pressure).
 * Whitening only the 1,500 kept rows would give other numbers, and losses above the book's.
 * A value that is not a finite number, and a constant column (nothing to whiten by), are refused
 * with the file, line and column.
 */
public final class Airfoil {

    public static final DataFile FILE = new DataFile("airfoil_self_noise.dat",
            "76e5be1548fd8222e5074cf0faae75edff8cf93f",
            URI.create("http://d2l-data.s3-accelerate.amazonaws.com/airfoil_self_noise.dat"), List.of());

    public static final int ROWS = 1503;
    public static final int COLUMNS = 6;
    public static final int KEPT = 1500;

    private Airfoil() {}

    /** The 1,500 whitened examples, found or downloaded by {@code hub}. */
    public static ArrayDataset load(DataHub hub) throws IOException {
        return parse(hub.locate(FILE), KEPT);
    }

    /** The file's lines; a byte outside ASCII is refused with its line and offset (found by AirfoilFuzzTest). */
    private static List<String> asciiLines(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int line = 1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') line++;
            if (bytes[i] < 0) {
                throw new IOException(file + ": line " + line + ", byte " + i + " is 0x"
                        + String.format("%02x", bytes[i] & 0xFF) + ": not ASCII text (expected tab-separated numbers)");
            }
        }
        return new String(bytes, StandardCharsets.US_ASCII).lines().toList();
    }

    /** Parses and whitens a file in the airfoil format, keeping its first {@code keep} rows. */
    static ArrayDataset parse(Path file, int keep) throws IOException {
        List<double[]> rows = new ArrayList<>();
        int lineNo = 0;
        for (String line : asciiLines(file)) {
            lineNo++;
            if (line.isBlank()) continue;
            String[] cells = line.trim().split("\\s+");
            if (cells.length != COLUMNS) {
                throw new IOException(file + ": line " + lineNo + " has " + cells.length + " columns, expected " + COLUMNS);
            }
            double[] row = new double[COLUMNS];
            for (int j = 0; j < COLUMNS; j++) {
                try {
                    row[j] = Double.parseDouble(cells[j]);
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": line " + lineNo + ", column " + (j + 1) + ": '" + cells[j]
                            + "' is not a number");
                }
                if (!Double.isFinite(row[j])) {
                    throw new IOException(file + ": line " + lineNo + ", column " + (j + 1) + ": '" + cells[j]
                            + "' is not a finite number (NaN, infinite, or out of double's range)");
                }
            }
            rows.add(row);
        }
        if (rows.size() < keep) {
            throw new IOException(file + ": " + rows.size() + " rows, expected at least " + keep);
        }
        int n = rows.size();
        double[] mean = new double[COLUMNS], std = new double[COLUMNS];
        for (double[] r : rows) for (int j = 0; j < COLUMNS; j++) mean[j] += r[j];
        for (int j = 0; j < COLUMNS; j++) mean[j] /= n;
        for (double[] r : rows) for (int j = 0; j < COLUMNS; j++) std[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
        for (int j = 0; j < COLUMNS; j++) {
            std[j] = Math.sqrt(std[j] / n); // population, as NumPy's std()
            if (!(std[j] > 0)) {
                throw new IOException(file + ": column " + (j + 1) + " has the same value " + rows.getFirst()[j]
                        + " in every row: a constant column cannot be whitened (its standard deviation is 0)");
            }
        }
        float[] features = new float[keep * (COLUMNS - 1)];
        float[] labels = new float[keep];
        for (int i = 0; i < keep; i++) {
            double[] r = rows.get(i);
            for (int j = 0; j < COLUMNS - 1; j++) {
                features[i * (COLUMNS - 1) + j] = (float) ((r[j] - mean[j]) / std[j]);
            }
            labels[i] = (float) ((r[COLUMNS - 1] - mean[COLUMNS - 1]) / std[COLUMNS - 1]);
        }
        return new ArrayDataset(features, new int[] {COLUMNS - 1}, labels);
    }
}
