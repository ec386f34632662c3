package io.gradus.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The book's plotting helpers ({@code d2l.plot}, {@code show_trace}, {@code show_trace_2d}) on XChart. */
public final class Plots {

    /** matplotlib's default blue and orange, which the book's figures use. */
    public static final Color BLUE_LINE = new Color(0x1f77b4), ORANGE_LINE = new Color(0xff7f0e);
    static final Color BLUE = BLUE_LINE, ORANGE = ORANGE_LINE;

    private Plots() {}

    public static XYChart chart(String title, String xLabel, String yLabel) {
        XYChart chart = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setMarkerSize(5);
        chart.getStyler().setPlotGridLinesVisible(true);
        return chart;
    }

    /** A line without markers. */
    public static XYSeries line(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /** A line through circles, as matplotlib's {@code '-o'}. */
    public static XYSeries lineWithPoints(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        return s;
    }

    /**
     * A filled band between {@code lo} and {@code hi} over {@code x} (matplotlib's
     * {@code fill_between}), in a light tint of {@code color}, drawn as one closed polygon.
     */
    public static XYSeries band(XYChart chart, String name, double[] x, double[] lo, double[] hi, Color color) {
        int n = x.length;
        double[] px = new double[2 * n], py = new double[2 * n];
        for (int i = 0; i < n; i++) {
            px[i] = x[i];
            py[i] = hi[i];
            px[2 * n - 1 - i] = x[i];
            py[2 * n - 1 - i] = lo[i];
        }
        XYSeries s = chart.addSeries(name, px, py);
        s.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setMarker(SeriesMarkers.NONE);
        Color tint = new Color(color.getRed(), color.getGreen(), color.getBlue(), 60);
        s.setFillColor(tint);
        s.setLineColor(tint);
        s.setShowInLegend(false);
        return s;
    }

    /** NumPy's {@code arange(start, stop, step)}: {@code start + i step} below {@code stop}. */
    public static double[] arange(double start, double stop, double step) {
        int n = (int) Math.ceil((stop - start) / step);
        double[] out = new double[Math.max(0, n)];
        for (int i = 0; i < out.length; i++) out[i] = start + i * step;
        return out;
    }

    /** NumPy's {@code linspace(start, stop, n)}, both ends included. */
    public static double[] linspace(double start, double stop, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = n == 1 ? start : start + (stop - start) * i / (n - 1);
        return out;
    }

    public static double[] map(double[] x, DoubleUnaryOperator f) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = f.applyAsDouble(x[i]);
        return y;
    }

    /** The book's {@code show_trace}: f over {@code [-n, n]} (n the largest |x| visited) and the iterates on it. */
    public static XYChart trace1d(String title, DoubleUnaryOperator f, double[] trace) {
        double n = 0;
        for (double x : trace) n = Math.max(n, Math.abs(x));
        double[] grid = arange(-n, n, 0.01);
        XYChart chart = chart(title, "x", "f(x)");
        chart.getStyler().setLegendVisible(false);
        line(chart, "f", grid, map(grid, f)).setLineColor(BLUE);
        XYSeries it = lineWithPoints(chart, "iterates", trace, map(trace, f));
        it.setLineColor(ORANGE);
        it.setMarkerColor(ORANGE);
        return chart;
    }

    /**
     * The book's {@code show_trace_2d}: contours of f on {@code [-5.5, 1) x [-3, 1)} (step 0.1) and the
     * trace of {@code (x1, x2)} from {@code train_2d}.
     */
    public static XYChart trace2d(String title, DoubleBinaryOperator f, List<double[]> trace) {
        XYChart chart = chart(title, "x1", "x2");
        chart.getStyler().setLegendVisible(false);
        double[] xs = arange(-5.5, 1.0, 0.1), ys = arange(-3.0, 1.0, 0.1);
        Contours.Segments seg = Contours.lines(f, xs, ys, Contours.levels(f, xs, ys, 10, true));
        XYSeries contours = line(chart, "contours", seg.x(), seg.y());
        contours.setLineColor(BLUE);
        contours.setLineStyle(new BasicStroke(1f));
        double[] x1 = new double[trace.size()], x2 = new double[trace.size()];
        for (int i = 0; i < x1.length; i++) {
            x1[i] = trace.get(i)[0];
            x2[i] = trace.get(i)[1];
        }
        XYSeries t = lineWithPoints(chart, "trace", x1, x2);
        t.setLineColor(ORANGE);
        t.setMarkerColor(ORANGE);
        return chart;
    }

    /**
     * The book's {@code annotate(text, xy, xytext)}: the text at {@code xytext} and a thin line from
     * there to the point {@code xy} it names, ending in a dot.
     */
    public static void annotate(XYChart chart, String text, double x, double y, double textX, double textY) {
        XYSeries pointer = chart.addSeries("annotation: " + text, new double[] {textX, x}, new double[] {textY, y});
        pointer.setMarker(SeriesMarkers.NONE);
        pointer.setLineColor(Color.DARK_GRAY);
        pointer.setLineStyle(new BasicStroke(0.8f));
        pointer.setShowInLegend(false);
        XYSeries dot = chart.addSeries("annotation point: " + text, new double[] {x}, new double[] {y});
        dot.setMarker(SeriesMarkers.CIRCLE);
        dot.setMarkerColor(Color.DARK_GRAY);
        dot.setShowInLegend(false);
        chart.addAnnotation(new org.knowm.xchart.AnnotationText(text, textX, textY, false));
    }

    /** Adds {@code levels} contour lines of f over the grid as one thin series. */
    public static XYSeries contour(XYChart chart, DoubleBinaryOperator f, double[] xs, double[] ys, int levels) {
        Contours.Segments seg = Contours.lines(f, xs, ys, Contours.levels(f, xs, ys, levels));
        XYSeries s = line(chart, "contours", seg.x(), seg.y());
        s.setLineColor(BLUE);
        s.setLineStyle(new BasicStroke(1f));
        return s;
    }
}
