package io.gradus.kernels.internal;

import io.gradus.kernels.ArrayKernels;
import io.gradus.kernels.ConvKernels;
import io.gradus.kernels.ScalarArrayKernels;
import io.gradus.kernels.ScalarConvKernels;

import io.gradus.kernels.gemm.FewRowsKernel;
import io.gradus.kernels.gemm.ScalarFewRowsKernel;
import io.gradus.kernels.gemm.ScalarSgemmMicroKernel;
import io.gradus.kernels.gemm.SgemmKernelFamily;
import io.gradus.kernels.gemm.SgemmMicroKernel;

/**
 * Chooses, once per JVM, between the Vector API kernels and the scalar ones.
 *
 * <ul>
 *   <li>{@code -Dgradus.simd=false} forces the scalar kernels (to test both paths on one machine);</li>
 *   <li>otherwise the Vector API kernels are used when the module {@code jdk.incubator.vector} is
 *       resolved in the boot layer ({@code --add-modules jdk.incubator.vector});</li>
 *   <li>when it is not, the scalar kernels are used and one log line says how to enable SIMD.
 *       Results stay correct; nothing crashes.</li>
 * </ul>
 *
 * <p>The Vector API classes are loaded reflectively, so that no class of this package links
 * against {@code jdk.incubator.vector} when the module is absent.
 *
 * <p>The SGEMM micro-kernel and its block sizes are then chosen for the machine
 * ({@link SgemmTuning}, {@code -Dgradus.gemm.kernel} overrides), and one log line at INFO says what
 * was chosen, for example
 * {@code Gradus kernels: Vector API, 512-bit; SGEMM Sgemm12x32 (12x2v, ...) mc=96 kc=1024 nc=4096 a-major-later-passes (32 vector registers, ...); amd64 "AMD EPYC", ...}.
 */
public final class SimdSupport {

    /** System property that, set to {@code false}, forces the scalar kernels. */
    public static final String PROPERTY = "gradus.simd";
    /** The incubating module the SIMD kernels need. */
    public static final String VECTOR_MODULE = "jdk.incubator.vector";

    /**
     * The widest vector, in bits, of the kernels that stream arrays from memory (the element-wise
     * {@link ArrayKernels} and the optimizers' fused steps), whatever the machine prefers.
     *
     * <p>A {@code float[]}'s data starts 16 bytes into its object, which the collector places on an
     * 8-byte boundary and may move, so it cannot be aligned: with 64-byte vectors every load and
     * store spans two cache lines, with 32-byte vectors half of them do. Memory-bound loops gain
     * nothing from the wider arithmetic. On issue 25's Zen 5 guest (AVX-512 on full-width units),
     * exploratory runs (not kept) had 512-bit loops over 16M floats clearly slower than 256-bit ones,
     * and 512-bit loops over 64-byte aligned memory as fast as 256-bit ones; the rounds in
     * {@code bench/results/2026-12-03-kernels-zen5/} measure this change together with
     * {@code Parallel.forEach}'s contiguous ranges. Compute-bound kernels (SGEMM, convolution,
     * {@code exp}, the reductions) keep the preferred width.
     */
    public static final int STREAMING_MAX_BITS = 256;

    /** The vector size, in bits, of the streaming kernels on a machine that prefers {@code preferredBits}. */
    public static int streamingBits(int preferredBits) {
        return Math.min(preferredBits, STREAMING_MAX_BITS);
    }

    /** Why a path was chosen. */
    public enum Choice {
        VECTOR("Vector API kernels"),
        SCALAR_BY_PROPERTY("scalar kernels (-D" + PROPERTY + "=false)"),
        SCALAR_NO_MODULE("scalar kernels: module " + VECTOR_MODULE + " is not resolved; add "
                + "'--add-modules " + VECTOR_MODULE + "' to the java command line to enable SIMD");

        private final String description;

        Choice(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }

        public boolean vector() {
            return this == VECTOR;
        }
    }

    private static final System.Logger LOG = System.getLogger("io.gradus.kernels");
    private static final Choice CHOICE;
    private static final ArrayKernels ARRAY_KERNELS;
    private static final SgemmTuning.Choice SGEMM_CHOICE;
    private static final String DESCRIPTION;
    private static final FewRowsKernel FEW_ROWS_KERNEL;
    private static final ConvKernels CONV_KERNELS;

    static {
        Choice choice = choose(ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent(),
                System.getProperty(PROPERTY));
        ArrayKernels arrays = ScalarArrayKernels.INSTANCE;
        SgemmKernelFamily sgemmFamily = ScalarSgemmMicroKernel.FAMILY;
        FewRowsKernel fewRows = ScalarFewRowsKernel.INSTANCE;
        ConvKernels conv = ScalarConvKernels.INSTANCE;
        if (choice.vector()) {
            try {
                arrays = (ArrayKernels) instance("io.gradus.kernels.vector.VectorArrayKernels");
                sgemmFamily = (SgemmKernelFamily) instance("io.gradus.kernels.vector.VectorSgemmMicroKernels");
                fewRows = (FewRowsKernel) instance("io.gradus.kernels.vector.VectorFewRowsKernel");
                conv = (ConvKernels) instance("io.gradus.kernels.vector.VectorConvKernels");
            } catch (ReflectiveOperationException | LinkageError e) {
                choice = Choice.SCALAR_NO_MODULE;
                arrays = ScalarArrayKernels.INSTANCE;
                sgemmFamily = ScalarSgemmMicroKernel.FAMILY;
                fewRows = ScalarFewRowsKernel.INSTANCE;
                conv = ScalarConvKernels.INSTANCE;
            }
        }
        CpuInfo cpu = CpuInfo.detect();
        SGEMM_CHOICE = SgemmTuning.choose(cpu, sgemmFamily, System.getProperty(SgemmTuning.KERNEL_PROPERTY));
        DESCRIPTION = (choice.vector() ? sgemmFamily.description() : choice.description())
                + "; SGEMM " + SGEMM_CHOICE.describe() + "; " + cpu.describe();
        LOG.log(choice == Choice.SCALAR_NO_MODULE ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                "Gradus kernels: " + DESCRIPTION);
        CHOICE = choice;
        ARRAY_KERNELS = arrays;
        FEW_ROWS_KERNEL = fewRows;
        CONV_KERNELS = conv;
    }

    private SimdSupport() {}

    /**
     * The decision rule, kept pure so tests can check it without starting another JVM.
     *
     * @param moduleResolved whether {@code jdk.incubator.vector} is in the boot layer
     * @param property       the value of {@code gradus.simd}, or null when unset
     */
    public static Choice choose(boolean moduleResolved, String property) {
        if (property != null && property.trim().equalsIgnoreCase("false")) {
            return Choice.SCALAR_BY_PROPERTY;
        }
        return moduleResolved ? Choice.VECTOR : Choice.SCALAR_NO_MODULE;
    }

    /** What this JVM chose. */
    public static Choice choice() {
        return CHOICE;
    }

    /** The array kernels this JVM uses. */
    public static ArrayKernels arrayKernels() {
        return ARRAY_KERNELS;
    }

    /** The SGEMM micro-kernel this JVM uses (with its blocking). */
    public static SgemmMicroKernel sgemmMicroKernel() {
        return SGEMM_CHOICE.kernel();
    }

    /** The SGEMM kernel choice and why it was made. */
    public static SgemmTuning.Choice sgemmChoice() {
        return SGEMM_CHOICE;
    }

    /**
     * Everything chosen at start-up in one line (the one the log prints): kernels, SGEMM tile and
     * blocking, the machine. Benchmarks write it into their result files.
     */
    public static String describe() {
        return DESCRIPTION;
    }

    /** The unpacked few-rows kernel this JVM uses. */
    public static FewRowsKernel fewRowsKernel() {
        return FEW_ROWS_KERNEL;
    }

    /** The direct convolution kernels this JVM uses. */
    public static ConvKernels convKernels() {
        return CONV_KERNELS;
    }

    private static Object instance(String className) throws ReflectiveOperationException {
        return Class.forName(className).getField("INSTANCE").get(null);
    }
}
