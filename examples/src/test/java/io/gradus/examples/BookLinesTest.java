package io.gradus.examples;

import io.gradus.examples.sections.Adagrad;
import io.gradus.examples.sections.GradientDescent;
import io.gradus.examples.sections.Momentum;
import io.gradus.examples.sections.RmsProp;
import io.gradus.optim.classic.Classic;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The deterministic lines of sections 11.3-11.8, through the functions that print them, against the book's text. */
class BookLinesTest {

    @Test
    void gradientDescentAndNewtonPrintTheBooksLines() {
        assertEquals("epoch 10, x: 0.06046617599999997", GradientDescent.epochLine(GradientDescent.gdSquare(0.2)));
        assertEquals("epoch 10, x: 3.4867844009999995", GradientDescent.epochLine(GradientDescent.gdSquare(0.05)));
        assertEquals("epoch 10, x: 61.917364224000096", GradientDescent.epochLine(GradientDescent.gdSquare(1.1)));
        assertEquals("epoch 10, x: -1.528165927635083", GradientDescent.epochLine(GradientDescent.gdCos(2)));
        assertEquals("epoch 20, x1 -0.057646, x2 -0.000073", Classic.train2dLine(GradientDescent.gd2d()));
        assertEquals("epoch 10, x: 0.0", GradientDescent.epochLine(GradientDescent.newtonCosh()));
        assertEquals("epoch 10, x: 26.83413291324767", GradientDescent.epochLine(GradientDescent.newtonCos(1)));
        assertEquals("epoch 10, x: 7.269860168684531", GradientDescent.epochLine(GradientDescent.newtonCos(0.5)));
    }

    @Test
    void twoDimensionalTracesPrintTheBooksLines() {
        assertEquals("epoch 20, x1 -0.943467, x2 -0.000073", Classic.train2dLine(Momentum.gd2d(0.4)));
        assertEquals("epoch 20, x1 -0.387814, x2 -1673.365109", Classic.train2dLine(Momentum.gd2d(0.6)));
        assertEquals("epoch 20, x1 0.007188, x2 0.002553", Classic.train2dLine(Momentum.momentum2d(0.6, 0.5)));
        assertEquals("epoch 20, x1 -0.126340, x2 -0.186632", Classic.train2dLine(Momentum.momentum2d(0.6, 0.25)));
        assertEquals("epoch 20, x1 -2.382563, x2 -0.158591", Classic.train2dLine(Adagrad.adagrad2d(0.4)));
        assertEquals("epoch 20, x1 -0.002295, x2 -0.000000", Classic.train2dLine(Adagrad.adagrad2d(2)));
        assertEquals("epoch 20, x1 -0.010599, x2 0.000000", Classic.train2dLine(RmsProp.rmsprop2d(0.4, 0.9)));
    }

    @Test
    void pythonReprOfFloats() {
        assertEquals("0.06046617599999997", PyFormat.repr(0.06046617599999997));
        assertEquals("0.0", PyFormat.repr(0.0));
        assertEquals("-0.0", PyFormat.repr(-0.0));
        assertEquals("0.0001", PyFormat.repr(1e-4));
        assertEquals("1e-05", PyFormat.repr(1e-5));
        assertEquals("-2.5e-07", PyFormat.repr(-2.5e-7));
        assertEquals("12345678.0", PyFormat.repr(12345678.0));
        assertEquals("1e+16", PyFormat.repr(1e16));
        assertEquals("1.5e+20", PyFormat.repr(1.5e20));
        assertEquals("nan", PyFormat.repr(Double.NaN));
    }
}
