package io.gradus.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The OpenCL 1.2 host API that Gradus needs, bound through Java's foreign function interface
 * ({@code java.lang.foreign}): the ICD loader {@code libOpenCL} is looked up once; every function is
 * a downcall handle. No native code of Gradus's own, no JNI library to ship.
 *
 * <p>Why not Aparapi for this: Aparapi 3.0.0 gives every {@code Kernel} instance its own OpenCL
 * context (its JNI {@code JNIContext} calls {@code clCreateContextFromType} per kernel), so a buffer
 * cannot be shared by two kernels, and its hand-written-OpenCL route ({@code com.aparapi.opencl})
 * writes every read argument to the device and reads every written one back on each call. A
 * training step needs the opposite: parameters, gradients and state resident on the device and
 * shared by the norm, update, GEMM and elementwise kernels. See KERNELS.md.
 *
 * <p>Transfers between the device and a Java {@code float[]} are blocking and read or write the
 * array in place (a {@linkplain Linker.Option#critical(boolean) critical} call with heap access):
 * no staging copy, and the garbage collector waits for the few milliseconds a transfer takes.
 */
final class OpenCl {
    private OpenCl() {}

    static final int CL_SUCCESS = 0;
    static final long CL_DEVICE_TYPE_CPU = 1L << 1, CL_DEVICE_TYPE_GPU = 1L << 2, CL_DEVICE_TYPE_ACCELERATOR = 1L << 3;
    static final long CL_DEVICE_TYPE_ALL = 0xFFFFFFFFL;
    static final int CL_PLATFORM_VERSION = 0x0901, CL_PLATFORM_NAME = 0x0902, CL_PLATFORM_VENDOR = 0x0903;
    static final int CL_DEVICE_TYPE = 0x1000, CL_DEVICE_MAX_COMPUTE_UNITS = 0x1002, CL_DEVICE_MAX_WORK_GROUP_SIZE = 0x1004;
    static final int CL_DEVICE_MAX_CLOCK_FREQUENCY = 0x100C, CL_DEVICE_MAX_MEM_ALLOC_SIZE = 0x1010;
    static final int CL_DEVICE_SINGLE_FP_CONFIG = 0x101B, CL_DEVICE_GLOBAL_MEM_SIZE = 0x101F, CL_DEVICE_LOCAL_MEM_SIZE = 0x1023;
    static final int CL_DEVICE_NAME = 0x102B, CL_DEVICE_VENDOR = 0x102C, CL_DRIVER_VERSION = 0x102D, CL_DEVICE_VERSION = 0x102F;
    static final long CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT = 1L << 7;
    static final long CL_MEM_READ_WRITE = 1;
    static final int CL_PROGRAM_BUILD_LOG = 0x1183;
    static final long CL_CONTEXT_PLATFORM = 0x1084;

    /** Names of the error codes a user may meet, for messages. */
    private static final Map<Integer, String> ERRORS = Map.ofEntries(
            Map.entry(-1, "CL_DEVICE_NOT_FOUND"), Map.entry(-2, "CL_DEVICE_NOT_AVAILABLE"),
            Map.entry(-3, "CL_COMPILER_NOT_AVAILABLE"), Map.entry(-4, "CL_MEM_OBJECT_ALLOCATION_FAILURE"),
            Map.entry(-5, "CL_OUT_OF_RESOURCES"), Map.entry(-6, "CL_OUT_OF_HOST_MEMORY"),
            Map.entry(-11, "CL_BUILD_PROGRAM_FAILURE"), Map.entry(-30, "CL_INVALID_VALUE"),
            Map.entry(-33, "CL_INVALID_DEVICE"), Map.entry(-34, "CL_INVALID_CONTEXT"),
            Map.entry(-36, "CL_INVALID_COMMAND_QUEUE"), Map.entry(-38, "CL_INVALID_MEM_OBJECT"),
            Map.entry(-44, "CL_INVALID_PROGRAM"), Map.entry(-46, "CL_INVALID_KERNEL_NAME"),
            Map.entry(-48, "CL_INVALID_KERNEL"), Map.entry(-49, "CL_INVALID_ARG_INDEX"),
            Map.entry(-50, "CL_INVALID_ARG_VALUE"), Map.entry(-51, "CL_INVALID_ARG_SIZE"),
            Map.entry(-52, "CL_INVALID_KERNEL_ARGS"), Map.entry(-54, "CL_INVALID_WORK_GROUP_SIZE"),
            Map.entry(-61, "CL_INVALID_BUFFER_SIZE"), Map.entry(-63, "CL_INVALID_GLOBAL_WORK_SIZE"),
            Map.entry(-43, "CL_INVALID_BUILD_OPTIONS"), Map.entry(-45, "CL_INVALID_PROGRAM_EXECUTABLE"),
            Map.entry(-47, "CL_INVALID_KERNEL_DEFINITION"), Map.entry(-53, "CL_INVALID_WORK_DIMENSION"),
            Map.entry(-55, "CL_INVALID_WORK_ITEM_SIZE"), Map.entry(-56, "CL_INVALID_GLOBAL_OFFSET"),
            Map.entry(-57, "CL_INVALID_EVENT_WAIT_LIST"), Map.entry(-58, "CL_INVALID_EVENT"),
            Map.entry(-59, "CL_INVALID_OPERATION"),
            Map.entry(-9999, "NVIDIA: a kernel faulted (an out-of-bounds access, most often), reported at the next synchronizing call"),
            Map.entry(-1001, "CL_PLATFORM_NOT_FOUND_KHR"));

    static String errorName(int code) {
        return ERRORS.getOrDefault(code, "OpenCL error " + code) + " (" + code + ")";
    }

    /** The bound functions, or empty when no OpenCL library can be loaded. */
    static Optional<Api> api() {
        return Holder.API;
    }

    private static final class Holder {
        static final List<String> LOAD_ERRORS = new java.util.concurrent.CopyOnWriteArrayList<>();
        static final Optional<Api> API = load(LOAD_ERRORS);
    }

    /** Why no OpenCL library loaded: one line per name tried (empty when one loaded). */
    static List<String> loadErrors() {
        api(); // loads, or records why not
        return List.copyOf(Holder.LOAD_ERRORS);
    }

    private static Optional<Api> load(List<String> errors) {
        SignalHandlers.capture(); // the JVM's handlers, before pocl (and LLVM) can replace them
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String[] names = os.contains("mac") ? new String[] {"/System/Library/Frameworks/OpenCL.framework/OpenCL"}
                : os.contains("win") ? new String[] {"OpenCL"} : new String[] {"libOpenCL.so.1", "libOpenCL.so"};
        for (String name : names) {
            try {
                SymbolLookup lookup = SymbolLookup.libraryLookup(name, Arena.global());
                return Optional.of(new Api(lookup));
            } catch (IllegalArgumentException | IllegalCallerException | UnsatisfiedLinkError | IllegalStateException e) {
                errors.add(name + ": " + e.getMessage()); // not here: try the next name, or report none, with the loader's reasons
            }
        }
        return Optional.empty();
    }

    /** Downcall handles; each method throws {@link DeviceException} on a non-zero status. */
    static final class Api {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final Linker.Option CRITICAL_HEAP = Linker.Option.critical(true);

        final MethodHandle getPlatformIDs, getPlatformInfo, getDeviceIDs, getDeviceInfo, createContext,
                createCommandQueue, createBuffer, writeBuffer, readBuffer, copyBuffer, fillBuffer,
                createProgramWithSource, buildProgram, getProgramBuildInfo, createKernel, setKernelArg,
                enqueueNDRangeKernel, finish, releaseMemObject, releaseKernel, releaseProgram, releaseCommandQueue,
                releaseContext;

        Api(SymbolLookup lib) {
            getPlatformIDs = bind(lib, "clGetPlatformIDs", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
            getPlatformInfo = bind(lib, "clGetPlatformInfo", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
            getDeviceIDs = bind(lib, "clGetDeviceIDs", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
            getDeviceInfo = bind(lib, "clGetDeviceInfo", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
            createContext = bind(lib, "clCreateContext", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
            createCommandQueue = bind(lib, "clCreateCommandQueue", ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
            createBuffer = bind(lib, "clCreateBuffer", ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS);
            writeBuffer = bindCritical(lib, "clEnqueueWriteBuffer", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG,
                    ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
            readBuffer = bindCritical(lib, "clEnqueueReadBuffer", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG,
                    ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
            copyBuffer = bind(lib, "clEnqueueCopyBuffer", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                    JAVA_INT, ADDRESS, ADDRESS);
            fillBuffer = bind(lib, "clEnqueueFillBuffer", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                    JAVA_INT, ADDRESS, ADDRESS);
            createProgramWithSource = bind(lib, "clCreateProgramWithSource", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
            buildProgram = bind(lib, "clBuildProgram", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
            getProgramBuildInfo = bind(lib, "clGetProgramBuildInfo", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
            createKernel = bind(lib, "clCreateKernel", ADDRESS, ADDRESS, ADDRESS, ADDRESS);
            setKernelArg = bind(lib, "clSetKernelArg", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS);
            enqueueNDRangeKernel = bind(lib, "clEnqueueNDRangeKernel", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS,
                    ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
            finish = bind(lib, "clFinish", JAVA_INT, ADDRESS);
            releaseMemObject = bind(lib, "clReleaseMemObject", JAVA_INT, ADDRESS);
            releaseKernel = bind(lib, "clReleaseKernel", JAVA_INT, ADDRESS);
            releaseProgram = bind(lib, "clReleaseProgram", JAVA_INT, ADDRESS);
            releaseCommandQueue = bind(lib, "clReleaseCommandQueue", JAVA_INT, ADDRESS);
            releaseContext = bind(lib, "clReleaseContext", JAVA_INT, ADDRESS);
        }

        private static MethodHandle bind(SymbolLookup lib, String name, ValueLayout result, ValueLayout... args) {
            MemorySegment symbol = lib.find(name).orElseThrow(() -> new IllegalStateException("libOpenCL has no " + name));
            return LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, args));
        }

        private static MethodHandle bindCritical(SymbolLookup lib, String name, ValueLayout result, ValueLayout... args) {
            MemorySegment symbol = lib.find(name).orElseThrow(() -> new IllegalStateException("libOpenCL has no " + name));
            return LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, args), CRITICAL_HEAP);
        }
    }

    /** Throws {@link DeviceException} naming {@code what} when {@code status} is not CL_SUCCESS. */
    static void check(int status, String what) {
        if (status != CL_SUCCESS) throw new DeviceException(what + " failed: " + errorName(status), status);
    }

    /** Invokes a handle, turning the checked Throwable of {@link MethodHandle#invokeExact} into a runtime error. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
