package io.gradus.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.logging.Logger;

/**
 * Keeps the JVM's signal handlers in place when an OpenCL implementation replaces them. pocl loads
 * LLVM into the process, and LLVM installs its own handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE,
 * SIGUSR2, SIGINT, SIGTERM and others (seen with {@code -Xcheck:jni} as soon as pocl's platform is
 * queried, and again when it compiles). The JVM takes SIGSEGV for safepoint polls and implicit null
 * checks, so with LLVM's handler the next safepoint in compiled Java code ended the process
 * ("Segmentation fault", no hs_err file; four of six runs of the device check on a cold pocl
 * cache), and with SIGINT's, Ctrl-C skipped the shutdown hooks. A known problem of LLVM in a JVM;
 * {@code LD_PRELOAD=libjsig.so} (signal chaining) also cures it, but asks every user for a flag.
 *
 * <p>{@link #capture} records the JVM's handlers before the OpenCL library is first used;
 * {@link #restore} puts them back wherever a call replaced them, and is called after every OpenCL
 * call that can load or run the compiler: the platform query, context creation, program builds and
 * first launch of each kernel shape ({@link DeviceKernel}). Linux only (pocl's platform); elsewhere, or where
 * {@code sigaction} cannot be bound, both do nothing.
 */
final class SignalHandlers {
    private SignalHandlers() {}

    private static final Logger LOG = Logger.getLogger(SignalHandlers.class.getName());

    /**
     * SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV, SIGUSR2, SIGPIPE, SIGTERM,
     * SIGXFSZ: the JVM's and the ones LLVM takes; the same numbers on Linux x86-64 and AArch64.
     */
    private static final int[] SIGNALS = {1, 2, 3, 4, 5, 7, 8, 11, 12, 13, 15, 25};
    /** Bytes of a {@code struct sigaction} and then some (glibc: 152 on x86-64 and AArch64). */
    private static final long SIGACTION_BYTES = 512;

    private static final MethodHandle SIGACTION = bind();
    /** The JVM's handlers, as found before any OpenCL call; null where not captured. */
    private static final MemorySegment[] JVM = captureNow();
    private static volatile boolean logged;

    private static MethodHandle bind() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) return null;
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("sigaction").map(f -> linker.downcallHandle(f,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS)))
                    .orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static MemorySegment[] captureNow() {
        MemorySegment[] out = new MemorySegment[SIGNALS.length];
        if (SIGACTION == null) return out;
        for (int i = 0; i < SIGNALS.length; i++) {
            MemorySegment s = Arena.global().allocate(SIGACTION_BYTES, 16);
            out[i] = sigaction(SIGNALS[i], MemorySegment.NULL, s) == 0 ? s : null;
        }
        return out;
    }

    /** Records the JVM's handlers (once, when this class loads): call before the OpenCL library is first used. */
    static void capture() {
        // the work is done by the class initializer; this call only makes sure it ran
    }

    /** Puts back each of the JVM's handlers that something replaced since {@link #capture}; logs the first time. */
    static synchronized void restore() {
        if (SIGACTION == null) return;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment now = arena.allocate(SIGACTION_BYTES, 16);
            StringBuilder replaced = new StringBuilder();
            for (int i = 0; i < SIGNALS.length; i++) {
                if (JVM[i] == null || sigaction(SIGNALS[i], MemorySegment.NULL, now) != 0) continue;
                // the handler's address is the first field of struct sigaction
                if (now.get(ValueLayout.JAVA_LONG, 0) != JVM[i].get(ValueLayout.JAVA_LONG, 0)) {
                    sigaction(SIGNALS[i], JVM[i], MemorySegment.NULL);
                    replaced.append(replaced.isEmpty() ? "" : ", ").append(SIGNALS[i]);
                }
            }
            if (!replaced.isEmpty() && !logged) {
                logged = true;
                LOG.info("the OpenCL implementation replaced the JVM's handlers of signals " + replaced
                        + " (LLVM's crash handlers); Gradus restores them after each OpenCL call that can replace them");
            }
        }
    }

    /** Whether every captured handler is the JVM's now (true where nothing was captured). */
    static synchronized boolean jvmHandlersInPlace() {
        if (SIGACTION == null) return true;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment now = arena.allocate(SIGACTION_BYTES, 16);
            for (int i = 0; i < SIGNALS.length; i++) {
                if (JVM[i] == null || sigaction(SIGNALS[i], MemorySegment.NULL, now) != 0) continue;
                if (now.get(ValueLayout.JAVA_LONG, 0) != JVM[i].get(ValueLayout.JAVA_LONG, 0)) return false;
            }
            return true;
        }
    }

    private static int sigaction(int signal, MemorySegment act, MemorySegment old) {
        try {
            return (int) SIGACTION.invokeExact(signal, act, old);
        } catch (Throwable t) {
            throw OpenCl.rethrow(t);
        }
    }
}
