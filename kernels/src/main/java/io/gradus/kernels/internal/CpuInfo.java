package io.gradus.kernels.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the kernels need to know about the machine they run on, read once at start-up: the vector
 * registers the JIT compiler can use, the data caches, the processor count. {@link #detect()} reads
 * it; the SGEMM's kernel table ({@link SgemmTuning}) turns it into a
 * micro-kernel and block sizes, as BLIS keeps one blocking record per architecture.
 *
 * <ul>
 *   <li><b>Vector registers</b>: 32 on AArch64 (NEON and SVE both have 32) and on x86 when HotSpot
 *       generates EVEX code ({@code -XX:UseAVX=3}, the default on AVX-512 machines: zmm/ymm/xmm
 *       0-31); 16 on x86 otherwise (AVX2, AVX and SSE: ymm/xmm 0-15). The JVM's own flag is read,
 *       not the CPU's, so {@code -XX:UseAVX=2} on an AVX-512 machine reports 16, as the code that
 *       C2 then emits has.</li>
 *   <li><b>Caches</b>: on Linux from {@code /sys/devices/system/cpu/cpu0/cache/index*}; a cache
 *       shared by several processors (an L3) is reported per processor, its size divided by the
 *       number sharing it. Elsewhere the {@link #FALLBACK} sizes, which are small enough not to
 *       overflow any current desktop or server core.</li>
 * </ul>
 *
 * @param arch            {@code os.arch}, e.g. {@code amd64} or {@code aarch64}
 * @param model           the processor's name where the OS tells it, else the architecture
 * @param vectorRegisters vector registers the JIT compiler allocates (16 or 32)
 * @param l1dBytes        level-1 data cache of one core
 * @param l2Bytes         level-2 cache of one core (or its share)
 * @param l3BytesPerCore  the last-level cache's share per processor that shares it, 0 if none
 * @param processors      {@link Runtime#availableProcessors()}
 * @param fromSystem      whether the cache sizes were read from the OS (false: fallbacks)
 */
public record CpuInfo(String arch, String model, int vectorRegisters, long l1dBytes, long l2Bytes,
                      long l3BytesPerCore, int processors, boolean fromSystem) {

    /** Cache sizes assumed where the OS does not say: 32 KiB L1d, 512 KiB L2, 2 MiB of L3 per core. */
    public static final CpuInfo FALLBACK = new CpuInfo("unknown", "unknown", 16, 32 << 10, 512 << 10, 2 << 20, 1, false);

    public CpuInfo {
        if (vectorRegisters != 16 && vectorRegisters != 32) {
            throw new IllegalArgumentException("vectorRegisters = " + vectorRegisters + ": expected 16 or 32");
        }
        if (l1dBytes < 1 || l2Bytes < 1 || l3BytesPerCore < 0 || processors < 1) {
            throw new IllegalArgumentException("cache sizes and processors must be positive: l1d = " + l1dBytes
                    + ", l2 = " + l2Bytes + ", l3 per core = " + l3BytesPerCore + ", processors = " + processors);
        }
    }

    private static final class Holder {
        static final CpuInfo DETECTED = read(Path.of("/sys/devices/system/cpu/cpu0/cache"));
    }

    /** This machine, read once per JVM. */
    public static CpuInfo detect() {
        return Holder.DETECTED;
    }

    /** One line for logs and benchmark files, e.g. {@code amd64 "AMD EPYC", 32 vector registers, L1d 32 KiB, L2 1 MiB, L3 16 MiB/core}. */
    public String describe() {
        return arch + " \"" + model + "\", " + vectorRegisters + " vector registers, L1d " + size(l1dBytes)
                + ", L2 " + size(l2Bytes) + ", L3 " + size(l3BytesPerCore) + "/core"
                + (fromSystem ? "" : " (assumed: the OS does not report caches)") + ", " + processors + " processors";
    }

    /** Reads the caches from a sysfs directory laid out as Linux's {@code cpu0/cache}; falls back per missing cache. */
    static CpuInfo read(Path cacheDir) {
        String arch = System.getProperty("os.arch", "unknown");
        int registers = vectorRegisters(arch, hotSpotUseAvx());
        long l1 = 0, l2 = 0, l3 = 0;
        boolean found = false;
        for (int index = 0; index < 8; index++) {
            Path dir = cacheDir.resolve("index" + index);
            if (!Files.isDirectory(dir)) continue;
            try {
                String type = Files.readString(dir.resolve("type")).trim();
                if (type.equals("Instruction")) continue;
                int level = Integer.parseInt(Files.readString(dir.resolve("level")).trim());
                long bytes = parseSize(Files.readString(dir.resolve("size")).trim());
                int sharing = Math.max(1, countCpus(readOr(dir.resolve("shared_cpu_list"), "0")));
                switch (level) {
                    case 1 -> l1 = bytes;
                    case 2 -> l2 = bytes / sharing;
                    case 3 -> l3 = bytes / sharing;
                    default -> { }
                }
                found = true;
            } catch (IOException | RuntimeException e) {
                // An unreadable or odd entry: keep the fallback for that level.
            }
        }
        return new CpuInfo(arch, model(arch), registers,
                l1 > 0 ? l1 : FALLBACK.l1dBytes, l2 > 0 ? l2 : FALLBACK.l2Bytes, l3 > 0 ? l3 : (found ? 0 : FALLBACK.l3BytesPerCore),
                Runtime.getRuntime().availableProcessors(), found && l1 > 0 && l2 > 0);
    }

    /**
     * 32 where the JIT has 32 vector registers, else 16.
     *
     * @param arch   {@code os.arch}
     * @param useAvx HotSpot's {@code UseAVX} flag on x86, or -1 when it cannot be read
     */
    static int vectorRegisters(String arch, int useAvx) {
        String a = arch.toLowerCase(Locale.ROOT);
        if (a.equals("aarch64") || a.equals("arm64") || a.startsWith("riscv") || a.startsWith("ppc")) return 32;
        if (a.equals("amd64") || a.equals("x86_64") || a.equals("x86")) return useAvx >= 3 ? 32 : 16;
        return 16;
    }

    /** HotSpot's {@code UseAVX} (0-3), or -1 where the JVM is not HotSpot or the flag is unreadable. */
    static int hotSpotUseAvx() {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean == null ? -1 : Integer.parseInt(bean.getVMOption("UseAVX").getValue());
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }

    /** {@code "32K"}, {@code "1024K"}, {@code "2M"} or plain bytes, as sysfs writes sizes. */
    static long parseSize(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K")) unit = 1L << 10;
        else if (t.endsWith("M")) unit = 1L << 20;
        else if (t.endsWith("G")) unit = 1L << 30;
        if (unit > 1) t = t.substring(0, t.length() - 1);
        return Long.parseLong(t.trim()) * unit;
    }

    /** Number of processors in a list such as {@code "0-3,8,10-11"}. */
    static int countCpus(String list) {
        int count = 0;
        for (String part : list.trim().split(",")) {
            if (part.isBlank()) continue;
            int dash = part.indexOf('-');
            count += dash < 0 ? 1 : Integer.parseInt(part.substring(dash + 1).trim()) - Integer.parseInt(part.substring(0, dash).trim()) + 1;
        }
        return count;
    }

    private static String model(String arch) {
        String name = readOr(Path.of("/proc/cpuinfo"), "").lines()
                .filter(l -> l.startsWith("model name") || l.startsWith("Model") || l.startsWith("CPU part"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse("");
        return name.isEmpty() ? arch : name;
    }

    private static String readOr(Path file, String fallback) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }

    private static String size(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) return (bytes >> 20) + " MiB";
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) return (bytes >> 10) + " KiB";
        return bytes + " B";
    }
}
