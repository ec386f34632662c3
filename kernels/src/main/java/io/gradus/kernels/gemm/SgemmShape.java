package io.gradus.kernels.gemm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of an SGEMM register tile: {@code rows} rows of C by {@code vectors} vectors of
 * columns, written {@code "12x2v"}. With vectors of {@code V} floats the tile is
 * {@code rows x (vectors * V)} and needs {@code rows * vectors} accumulator registers, plus
 * {@code vectors} for a row of B and at least one for a broadcast of A.
 */
public record SgemmShape(int rows, int vectors) {

    private static final Pattern TEXT = Pattern.compile("(\\d+)x(\\d+)v");

    public SgemmShape {
        if (rows < 1 || vectors < 1) {
            throw new IllegalArgumentException("SGEMM tile " + rows + "x" + vectors + "v: expected at least 1 row and 1 vector");
        }
    }

    /** Parses {@code "12x2v"}. */
    public static SgemmShape parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("SGEMM tile '" + text + "': expected ROWSxVECTORSv, e.g. 12x2v");
        }
        return new SgemmShape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Vector registers the accumulators, one row of B and one broadcast of A occupy. */
    public int registersNeeded() {
        return rows * vectors + vectors + 1;
    }

    @Override
    public String toString() {
        return rows + "x" + vectors + "v";
    }
}
