package io.gradus.examples;

import java.math.BigDecimal;

/** Python's number printing, so that lines such as {@code epoch 10, x: 0.06046617599999997} match the book's. */
public final class PyFormat {

    private PyFormat() {}

    /**
     * Python's {@code repr(float)}: the shortest digits that round-trip (as Java's
     * {@link Double#toString} since JDK 19), positional for {@code 1e-4 <= |x| < 1e16}, else
     * {@code d.ddde-XX} (Python pads the exponent to two digits and writes no {@code .0}).
     */
    public static String repr(double x) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        if (x == 0) return (1 / x < 0) ? "-0.0" : "0.0";
        String java = Double.toString(x);
        double a = Math.abs(x);
        if (a >= 1e-4 && a < 1e16) {
            if (!java.contains("E")) return java;
            String plain = new BigDecimal(java).stripTrailingZeros().toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        // Scientific: Java "1.5E-5" -> Python "1.5e-05"; "1.0E20" -> "1e+20".
        int e = java.indexOf('E');
        String mantissa = java.substring(0, e);
        if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
        int exponent = Integer.parseInt(java.substring(e + 1));
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
}
