package io.gradus.gpu;

import com.aparapi.Kernel;
import com.aparapi.internal.exception.AparapiException;
import com.aparapi.internal.model.ClassModel;
import com.aparapi.internal.model.Entrypoint;
import com.aparapi.internal.writer.KernelWriter;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel written once in Java, as the body of a {@link com.aparapi.Kernel}, and compiled for the
 * device by Aparapi's translator: Gradus's compiler from Java to OpenCL C. The runtime stays
 * Gradus's own (one {@link DeviceContext}, resident {@link DeviceArray}s shared by every kernel);
 * only Aparapi's class-file reader and {@code KernelWriter} are used, which are pure Java.
 *
 * <p>{@link #of(Class)} translates a class once per JVM: the class's {@code run()} becomes
 * {@code __kernel void run(...)}, the methods it calls become OpenCL functions, and the fields it
 * reads become the kernel's arguments. Gradus's prelude goes in front ({@code #pragma OPENCL
 * FP_CONTRACT OFF}, so {@code a * b + c} rounds twice, as in Java; the context builds with correctly
 * rounded division and square root), which is what lets a translated body give the bits the same
 * body gives on the CPU. {@link #launch} binds the arguments: each array field (a {@code float[]}
 * in Java, {@code __global float*} in OpenCL) to the {@link DeviceArray} given under the field's
 * name, each {@code @Local} array to a {@link DeviceKernel.Local}, each {@code float} or {@code int}
 * field to its value in the instance passed (read by reflection: a class in a named module must
 * open its package to {@code io.gradus.gpu}).
 *
 * <p>What a body may use is what Aparapi translates: {@code float} and {@code int} locals, fields
 * and arithmetic (including {@code ?:}), {@code float[]} fields indexed by {@code int}, {@code if},
 * {@code for} and {@code while}, calls of the class's own methods (inlined into OpenCL functions;
 * no recursion), {@code getGlobalId()}, {@code getLocalId()}, {@code getGroupId()},
 * {@code localBarrier()}, and {@code Kernel}'s float math ({@code sqrt}, {@code max}, {@code min},
 * {@code abs}, {@code exp}, {@code log}, {@code pow}, ...; {@code Math.max/min} become
 * {@code fmax/fmin}). Not: objects other than the kernel itself, allocation ({@code new}), interface
 * or virtual calls on other objects, exceptions, strings. Declare every local at the top of a
 * method (Aparapi misreads javac's reuse of local-variable slots); the build compiles with
 * {@code -g}, so the translator sees the locals' names.
 */
public final class JavaKernel {

    /** What one argument of the translated {@code run} is bound to. */
    public enum Kind {
        /** a {@code float[]} field: a {@link DeviceArray} */
        ARRAY,
        /** an {@code @Local} array: {@link DeviceKernel.Local} work-group memory */
        LOCAL,
        /** a {@code float} field, by value */
        FLOAT,
        /** an {@code int} field, by value */
        INT,
        /** Aparapi's pass id: always 0 (Gradus runs one pass per launch) */
        PASS_ID
    }

    /** One argument of the kernel, in the order of the OpenCL signature. */
    public record Argument(String name, Kind kind) {}

    /** The OpenCL C every translated kernel starts with. */
    public static final String PRELUDE = "#pragma OPENCL FP_CONTRACT OFF\n";

    /**
     * Aparapi's class reader predates Java 11 and logs a warning for every class file attribute it
     * does not know (NestHost, NestMembers: every nested class since Java 11); the reader skips
     * them correctly, so those records are dropped. Held here so the logger's filter stays set.
     */
    private static final java.util.logging.Logger CLASS_READER_LOG = quietClassReader();

    private static java.util.logging.Logger quietClassReader() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(com.aparapi.Config.getLoggerName());
        log.setFilter(r -> r.getMessage() == null || !r.getMessage().startsWith("Found unexpected Attribute"));
        return log;
    }

    private static final ClassValue<JavaKernel> TRANSLATED = new ClassValue<>() {
        @Override
        protected JavaKernel computeValue(Class<?> type) {
            return translate(type.asSubclass(Kernel.class));
        }
    };

    private final Class<? extends Kernel> type;
    private final String source;
    private final List<Argument> arguments;
    private final Field[] scalarFields;

    private JavaKernel(Class<? extends Kernel> type, String source, List<Argument> arguments, Field[] scalarFields) {
        this.type = type;
        this.source = source;
        this.arguments = arguments;
        this.scalarFields = scalarFields;
    }

    /**
     * The translation of {@code type}, made on the first call for the class and kept.
     *
     * @throws IllegalArgumentException if Aparapi cannot translate the class: the message names the
     *                                  class, the method and the construct
     */
    public static JavaKernel of(Class<? extends Kernel> type) {
        if (type == null) throw new IllegalArgumentException("type = null: expected a class extending com.aparapi.Kernel");
        return TRANSLATED.get(type);
    }

    /** The class this kernel was translated from. */
    public Class<? extends Kernel> type() {
        return type;
    }

    /** The OpenCL C: {@link #PRELUDE}, then Aparapi's translation; the entry point is {@code run}. */
    public String source() {
        return source;
    }

    /** The kernel's arguments in the order of its OpenCL signature. */
    public List<Argument> arguments() {
        return arguments;
    }

    /**
     * Enqueues {@code items} work-items of the kernel, in work-groups of {@code groupSize} (0: the
     * driver chooses; otherwise {@code items} is rounded up to whole groups, and the body must ignore
     * the work-items past its range). Returns at once; the context's queue runs launches in order.
     *
     * @param body    the instance whose {@code float} and {@code int} fields are passed by value
     * @param buffers by field name: a {@link DeviceArray} of {@code context} for each array field the
     *                kernel reads or writes, a {@link DeviceKernel.Local} for each {@code @Local} one;
     *                names the kernel does not use are ignored
     * @throws IllegalArgumentException if {@code body} is not of this kernel's class, or a buffer the
     *                                  kernel uses is missing or of the wrong kind
     * @throws UnsupportedOperationException on the host device, which runs no OpenCL
     */
    public void launch(DeviceContext context, Kernel body, int items, int groupSize, Map<String, ?> buffers) {
        if (body == null || body.getClass() != type) {
            throw new IllegalArgumentException("body = " + (body == null ? "null" : body.getClass().getName())
                    + ": expected an instance of " + type.getName());
        }
        Object[] args = new Object[arguments.size()];
        for (int a = 0; a < args.length; a++) {
            Argument arg = arguments.get(a);
            args[a] = switch (arg.kind()) {
                case ARRAY -> buffer(buffers, arg, DeviceArray.class);
                case LOCAL -> buffer(buffers, arg, DeviceKernel.Local.class);
                case FLOAT -> read(scalarFields[a], body);
                case INT -> read(scalarFields[a], body);
                case PASS_ID -> 0;
            };
        }
        context.kernel(source, "run").launchInGroups(items, groupSize, args);
        context.launched(type.getName() + ".run"); // "run" alone would not say which body faulted
    }

    private Object buffer(Map<String, ?> buffers, Argument arg, Class<?> expected) {
        Object b = buffers == null ? null : buffers.get(arg.name());
        if (!expected.isInstance(b)) {
            throw new IllegalArgumentException("kernel " + type.getName() + ": field " + arg.name() + " = " + b
                    + ", expected a " + expected.getSimpleName() + " among the buffers " + (buffers == null ? "{}" : buffers.keySet()));
        }
        return b;
    }

    private Object read(Field f, Kernel body) {
        try {
            return f.get(body);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("kernel " + type.getName() + ": cannot read field " + f.getName(), e);
        }
    }

    /** {@code [__global|__local] type [*]name} in the signature of {@code __kernel void run(...)}. */
    private static final Pattern PARAMETER = Pattern.compile("\\s*(__global\\s+|__local\\s+|__constant\\s+)?(\\w+)\\s*(\\*?)\\s*(\\w+)\\s*");

    private static JavaKernel translate(Class<? extends Kernel> type) {
        String text;
        try {
            Kernel instance = instantiate(type);
            ClassModel model = ClassModel.createClassModel(type);
            Entrypoint entry = model.getEntrypoint("run", instance);
            text = KernelWriter.writeToString(entry);
        } catch (AparapiException | RuntimeException e) {
            throw new IllegalArgumentException("kernel " + type.getName() + ": Aparapi cannot translate it to OpenCL C"
                    + where(type) + ": " + e.getMessage()
                    + " (a kernel body may use float and int fields and locals, float[] fields, the class's own"
                    + " methods and Kernel's math; see JavaKernel)", e);
        }
        int start = text.indexOf("__kernel void run(");
        int end = start < 0 ? -1 : text.indexOf(')', start);
        if (start < 0 || end < 0) {
            throw new IllegalStateException("kernel " + type.getName() + ": Aparapi's output has no __kernel void run(...)");
        }
        String[] params = text.substring(start + "__kernel void run(".length(), end).split(",");
        List<Argument> arguments = new ArrayList<>();
        Field[] fields = new Field[params.length];
        for (String param : params) {
            Matcher m = PARAMETER.matcher(param);
            if (!m.matches()) throw new IllegalStateException("kernel " + type.getName() + ": cannot read parameter '" + param.strip() + "'");
            String qualifier = m.group(1) == null ? "" : m.group(1).strip(), ctype = m.group(2), name = m.group(4);
            boolean pointer = !m.group(3).isEmpty();
            Kind kind;
            if (name.equals("passid") && !pointer) {
                kind = Kind.PASS_ID;
            } else if (pointer && qualifier.equals("__local")) {
                kind = Kind.LOCAL;
            } else if (pointer && qualifier.equals("__global") && ctype.equals("float")) {
                kind = Kind.ARRAY;
            } else if (!pointer && ctype.equals("float")) {
                kind = Kind.FLOAT;
            } else if (!pointer && ctype.equals("int")) {
                kind = Kind.INT;
            } else {
                throw new IllegalArgumentException("kernel " + type.getName() + ": field " + name + " becomes '" + param.strip()
                        + "' in OpenCL C; Gradus binds float[] (device arrays), @Local arrays, float and int fields only");
            }
            if (kind == Kind.FLOAT || kind == Kind.INT) fields[arguments.size()] = field(type, name);
            arguments.add(new Argument(name, kind));
        }
        return new JavaKernel(type, PRELUDE + text, List.copyOf(arguments), fields);
    }

    private static Kernel instantiate(Class<? extends Kernel> type) {
        try {
            var constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("kernel " + type.getName() + ": expected a constructor without arguments"
                    + " (the translator reads one instance; its fields are not used)", e);
        }
    }

    /** The field {@code name} of {@code type} or a superclass below {@link Kernel}, made readable. */
    private static Field field(Class<?> type, String name) {
        for (Class<?> c = type; c != null && c != Kernel.class; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                if (!f.trySetAccessible()) {
                    throw new IllegalArgumentException("kernel " + type.getName() + ": field " + name + " is not readable by"
                            + " io.gradus.gpu; open the package " + c.getPackageName() + " to io.gradus.gpu");
                }
                return f;
            } catch (NoSuchFieldException e) {
                // declared further up
            }
        }
        throw new IllegalStateException("kernel " + type.getName() + ": no field " + name + " for the argument Aparapi named");
    }

    /**
     * " in method M" for the first method of the class (or its superclasses below Kernel) that
     * Aparapi's reader rejects alone, so that an error names where the untranslatable construct is.
     */
    private static String where(Class<? extends Kernel> type) {
        try {
            ClassModel model = ClassModel.createClassModel(type);
            for (Class<?> c = type; c != null && c != Kernel.class; c = c.getSuperclass()) {
                ClassModel owner = c == type ? model : ClassModel.createClassModel(c);
                for (Method method : c.getDeclaredMethods()) {
                    if (method.isSynthetic() || Modifier.isAbstract(method.getModifiers())) continue;
                    try {
                        owner.getMethodModel(method.getName(), descriptor(method));
                    } catch (AparapiException | RuntimeException e) {
                        return " (in method " + c.getSimpleName() + "." + method.getName() + ")";
                    }
                }
            }
        } catch (AparapiException | RuntimeException e) {
            return "";
        }
        return "";
    }

    private static String descriptor(Method m) {
        StringBuilder b = new StringBuilder("(");
        for (Class<?> p : m.getParameterTypes()) b.append(p.descriptorString());
        return b.append(')').append(m.getReturnType().descriptorString()).toString();
    }

    @Override
    public String toString() {
        return "JavaKernel[" + type.getName() + ", " + arguments.size() + " arguments]";
    }
}
