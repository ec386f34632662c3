package io.gradus.kernels.gemm;

import java.util.List;

/**
 * The micro-kernels of one implementation (the Vector API's, or the scalar reference), by tile
 * shape. {@code SgemmTuning} picks a shape and block sizes for the machine and asks the family for
 * the kernel.
 */
public interface SgemmKernelFamily {

    /** E.g. {@code "Vector API, 512-bit"}. */
    String description();

    /** Floats per vector register (1 for the scalar family). */
    int vectorFloats();

    /** The tile shapes this family has, in the order they are preferred on a 32-register machine. */
    List<SgemmShape> shapes();

    /**
     * The kernel for a shape, with the given blocking (whose {@code mr} and {@code nr} must be the
     * shape's {@code rows} and {@code vectors * vectorFloats()}).
     *
     * @throws IllegalArgumentException if the family has no such shape
     */
    SgemmMicroKernel create(SgemmShape shape, GemmBlocking blocking);
}
