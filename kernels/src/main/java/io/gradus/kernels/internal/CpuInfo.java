package io.gradus.kernels.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the kernels need to know about the machine they run on, read once at start-up: the vector
 * registers the JIT compiler can use, the data caches, the processor count. {@link #detect()} reads
 * it; the SGEMM's kernel table ({@link SgemmTuning}) turns it into a micro-kernel and block sizes,
 * as BLIS keeps one blocking record per architecture.
 *
 * <ul>
 *   <li><b>Vector registers</b>: 32 on AArch64 (NEON and SVE both have 32) and on x86 when HotSpot
 *       generates EVEX code ({@code -XX:UseAVX=3}, the default on AVX-512 machines: zmm/ymm/xmm
 *       0-31); 16 on x86 otherwise (AVX2, AVX and SSE: ymm/xmm 0-15). The JVM's own flag is read,
 *       not the CPU's, so {@code -XX:UseAVX=2} on an AVX-512 machine reports 16, as the code that
 *       C2 then emits has.</li>
 *   <li><b>Caches</b>, each level from the best source the machine offers, in this order:
 *     <ol>
 *       <li>Linux's sysfs, {@code /sys/devices/system/cpu/cpu0/cache/index*}: every level, with the
 *           processors sharing it;</li>
 *       <li>{@code /proc/cpuinfo}'s {@code cache size}, whose meaning depends on the vendor: on AMD
 *           it is the L2 of one core, on Intel the last-level cache (L3) of the package, shared by
 *           its {@code siblings} (the kernel's x86 code fills it from CPUID leaf 0x80000006 on
 *           AMD and from the largest cache of leaf 4 on Intel);</li>
 *       <li>the known values of the CPU model ({@link KnownCaches}, from the vendor's family and
 *           model numbers), for the levels the two above left unsaid;</li>
 *       <li>the {@link #FALLBACK} sizes, small enough not to overflow any current desktop or
 *           server core.</li>
 *     </ol>
 *     Some virtual machines have no sysfs cache directories (seen on a KVM guest of an AMD Zen 5
 *     host) while their {@code /proc/cpuinfo} still says {@code cache size : 1024 KB}; without the
 *     second and third sources such a guest ran the SGEMM with the fallback blocking. A cache shared
 *     by several processors (an L3) is reported per processor: its size divided by the number of
 *     processors sharing it. {@link #cacheSource()} names where each level came from; the start-up
 *     line prints it.</li>
 * </ul>
 *
 * @param arch            {@code os.arch}, e.g. {@code amd64} or {@code aarch64}
 * @param model           the processor's name where the OS tells it, else the architecture
 * @param vectorRegisters vector registers the JIT compiler allocates (16 or 32)
 * @param l1dBytes        level-1 data cache of one core
 * @param l2Bytes         level-2 cache of one core (or its share)
 * @param l3BytesPerCore  the last-level cache's share per processor that shares it, 0 if none
 * @param processors      {@link Runtime#availableProcessors()}
 * @param cacheSource     where the cache sizes came from, e.g. {@code "sysfs"} or
 *                        {@code "L2 from /proc/cpuinfo; L1d, L3 from the known values of AMD Zen 5"}
 * @param vendor          {@code /proc/cpuinfo}'s {@code vendor_id} ({@code AuthenticAMD},
 *                        {@code GenuineIntel}), or "" where there is none (Arm, other systems)
 */
public record CpuInfo(String arch, String model, int vectorRegisters, long l1dBytes, long l2Bytes,
                      long l3BytesPerCore, int processors, String cacheSource, String vendor) {

    /** What {@link #cacheSource()} says of sizes that no source gave. */
    static final String ASSUMED = "assumed: the OS does not report caches";

    /** Cache sizes assumed where no source says: 32 KiB L1d, 512 KiB L2, 2 MiB of L3 per core. */
    public static final CpuInfo FALLBACK = new CpuInfo("unknown", "unknown", 16, 32 << 10, 512 << 10, 2 << 20, 1, ASSUMED, "");

    public CpuInfo {
        if (vectorRegisters != 16 && vectorRegisters != 32) {
            throw new IllegalArgumentException("vectorRegisters = " + vectorRegisters + ": expected 16 or 32");
        }
        if (l1dBytes < 1 || l2Bytes < 1 || l3BytesPerCore < 0 || processors < 1) {
            throw new IllegalArgumentException("cache sizes and processors must be positive: l1d = " + l1dBytes
                    + ", l2 = " + l2Bytes + ", l3 per core = " + l3BytesPerCore + ", processors = " + processors);
        }
        if (cacheSource == null || cacheSource.isBlank()) {
            throw new IllegalArgumentException("cacheSource = '" + cacheSource + "': expected where the cache sizes came from");
        }
        if (vendor == null) {
            throw new IllegalArgumentException("vendor = null: expected /proc/cpuinfo's vendor_id, or \"\" where there is none");
        }
    }

    /** An AMD (or Hygon) x86 processor, by its vendor_id. */
    public boolean amd() {
        return amdVendor(vendor);
    }

    /** Whether a {@code vendor_id} is AMD's or Hygon's (Hygon's Dhyana cores are AMD Zen 1). */
    static boolean amdVendor(String vendorId) {
        return vendorId.equals("AuthenticAMD") || vendorId.equals("HygonGenuine");
    }

    private static final class Holder {
        static final CpuInfo DETECTED = read(Path.of("/sys/devices/system/cpu/cpu0/cache"),
                readOr(Path.of("/proc/cpuinfo"), ""), System.getProperty("os.arch", "unknown"),
                hotSpotUseAvx(), Runtime.getRuntime().availableProcessors());
    }

    /** This machine, read once per JVM. */
    public static CpuInfo detect() {
        return Holder.DETECTED;
    }

    /** Whether every cache size is {@link #FALLBACK}'s, no source having said anything. */
    public boolean cachesAssumed() {
        return cacheSource.equals(ASSUMED);
    }

    /**
     * One line for logs and benchmark files, e.g. {@code amd64 "AMD EPYC", 32 vector registers, L1d 32 KiB,
     * L2 1 MiB, L3 16 MiB/core (caches from sysfs), 2 processors}, or with levels from several
     * sources {@code ... (L1d, L3 from the known values of AMD Zen 5 (family 26); L2 from /proc/cpuinfo) ...}.
     */
    public String describe() {
        String sources = cachesAssumed() || cacheSource.contains(" from ") ? cacheSource : "caches from " + cacheSource;
        return arch + " \"" + model + "\", " + vectorRegisters + " vector registers, L1d " + size(l1dBytes)
                + ", L2 " + size(l2Bytes) + ", L3 " + size(l3BytesPerCore) + "/core (" + sources + "), "
                + processors + " processors";
    }

    /** The cache levels the kernels use, in the order {@link #describe()} names them. */
    enum Level { L1D, L2, L3 }

    /**
     * Reads the caches from the sources in the class comment's order, level by level.
     *
     * @param sysfsCacheDir a directory laid out as Linux's {@code cpu0/cache} (it may be missing)
     * @param procCpuinfo   the text of {@code /proc/cpuinfo} (empty where there is none)
     * @param arch          {@code os.arch}
     * @param useAvx        HotSpot's {@code UseAVX}, or -1
     * @param processors    the processors this JVM may use
     */
    static CpuInfo read(Path sysfsCacheDir, String procCpuinfo, String arch, int useAvx, int processors) {
        Map<Level, Long> bytes = new LinkedHashMap<>();
        Map<Level, String> source = new LinkedHashMap<>();
        boolean sysfsHasCaches = readSysfs(sysfsCacheDir, bytes);
        bytes.keySet().forEach(level -> source.put(level, "sysfs"));

        ProcCpuinfo cpuinfo = ProcCpuinfo.parse(procCpuinfo);
        cpuinfo.cacheSizes(processors).forEach((level, size) -> {
            if (bytes.putIfAbsent(level, size) == null) source.put(level, "/proc/cpuinfo");
        });
        Optional<KnownCaches> known = KnownCaches.lookup(cpuinfo);
        if (known.isPresent()) {
            KnownCaches k = known.get();
            int sharingL3 = Math.max(1, Math.min(cpuinfo.siblingsOr(processors), k.coresPerL3() * cpuinfo.threadsPerCore()));
            Map<Level, Long> values = Map.of(Level.L1D, k.l1dBytes(), Level.L2, k.l2Bytes(), Level.L3, k.l3Bytes() / sharingL3);
            for (Level level : Level.values()) {
                if (values.get(level) > 0 && bytes.putIfAbsent(level, values.get(level)) == null) {
                    source.put(level, "the known values of " + k.name());
                }
            }
        }
        // A machine whose sysfs lists caches but no L3 has none (many Arm cores): 0, not the fallback.
        if (sysfsHasCaches && bytes.putIfAbsent(Level.L3, 0L) == null) source.put(Level.L3, "sysfs");
        long l1 = bytes.getOrDefault(Level.L1D, FALLBACK.l1dBytes);
        long l2 = bytes.getOrDefault(Level.L2, FALLBACK.l2Bytes);
        long l3 = bytes.getOrDefault(Level.L3, FALLBACK.l3BytesPerCore);
        String model = cpuinfo.modelName().orElse(arch);
        return new CpuInfo(arch, model, vectorRegisters(arch, useAvx), l1, l2, l3, processors, describeSources(source),
                cpuinfo.vendor());
    }

    /**
     * Fills {@code bytes} with the data and unified caches of a sysfs cache directory, shared
     * caches divided by the processors sharing them; true when at least one cache was read.
     */
    private static boolean readSysfs(Path cacheDir, Map<Level, Long> bytes) {
        boolean found = false;
        for (int index = 0; index < 8; index++) {
            Path dir = cacheDir.resolve("index" + index);
            if (!Files.isDirectory(dir)) continue;
            try {
                String type = Files.readString(dir.resolve("type")).trim();
                if (type.equals("Instruction")) continue;
                int level = Integer.parseInt(Files.readString(dir.resolve("level")).trim());
                long size = parseSize(Files.readString(dir.resolve("size")).trim());
                int sharing = Math.max(1, countCpus(readOr(dir.resolve("shared_cpu_list"), "0")));
                switch (level) {
                    case 1 -> bytes.put(Level.L1D, size);
                    case 2 -> bytes.put(Level.L2, size / sharing);
                    case 3 -> bytes.put(Level.L3, size / sharing);
                    default -> { }
                }
                found = true;
            } catch (IOException | RuntimeException e) {
                // An unreadable or odd entry: the next source gives that level.
            }
        }
        return found;
    }

    /** "sysfs", or the levels grouped by source: "L2 from /proc/cpuinfo; L1d, L3 from ...". */
    private static String describeSources(Map<Level, String> source) {
        if (source.isEmpty()) return ASSUMED;
        Map<String, List<String>> levelsBySource = new LinkedHashMap<>();
        for (Level level : Level.values()) {
            levelsBySource.computeIfAbsent(source.getOrDefault(level, "assumption"), s -> new ArrayList<>())
                    .add(level == Level.L1D ? "L1d" : level.name());
        }
        if (levelsBySource.size() == 1) return levelsBySource.keySet().iterator().next();
        List<String> parts = new ArrayList<>();
        levelsBySource.forEach((s, levels) -> parts.add(String.join(", ", levels) + " from " + s));
        return String.join("; ", parts);
    }

    /**
     * The fields of the first processor in {@code /proc/cpuinfo} that say what the CPU is and
     * what its caches are.
     *
     * @param vendor     {@code vendor_id} ({@code AuthenticAMD}, {@code GenuineIntel}), or "" (Arm has none)
     * @param family     {@code cpu family}, or -1
     * @param modelNumber {@code model}, or -1
     * @param modelName  {@code model name} (x86) or {@code Model} (some Arm kernels)
     * @param cacheSizeBytes {@code cache size}, or -1 where absent
     * @param siblings   logical processors of the package, or -1
     * @param cpuCores   physical cores of the package, or -1
     */
    record ProcCpuinfo(String vendor, int family, int modelNumber, Optional<String> modelName,
                       long cacheSizeBytes, int siblings, int cpuCores) {

        static ProcCpuinfo parse(String text) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : text.lines().toList()) {
                if (line.isBlank()) {
                    if (!fields.isEmpty() && fields.containsKey("processor")) break; // first processor only
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
            Optional<String> name = Optional.ofNullable(fields.get("model name")).or(() -> Optional.ofNullable(fields.get("Model")))
                    .filter(s -> !s.isBlank());
            return new ProcCpuinfo(fields.getOrDefault("vendor_id", ""), intOr(fields.get("cpu family")),
                    intOr(fields.get("model")), name, cacheSize(fields.get("cache size")),
                    intOr(fields.get("siblings")), intOr(fields.get("cpu cores")));
        }

        /** {@code "1024 KB"} as the kernel writes it. */
        private static long cacheSize(String text) {
            if (text == null) return -1;
            String t = text.trim().toUpperCase(Locale.ROOT);
            try {
                if (t.endsWith("KB")) return Long.parseLong(t.substring(0, t.length() - 2).trim()) << 10;
                if (t.endsWith("MB")) return Long.parseLong(t.substring(0, t.length() - 2).trim()) << 20;
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private static int intOr(String text) {
            try {
                return text == null ? -1 : Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        boolean amd() {
            return amdVendor(vendor);
        }

        boolean intel() {
            return vendor.equals("GenuineIntel");
        }

        int siblingsOr(int processors) {
            return siblings > 0 ? siblings : processors;
        }

        /** 2 where the package runs two threads per core (SMT), else 1. */
        int threadsPerCore() {
            return siblings > 0 && cpuCores > 0 && siblings >= cpuCores ? Math.max(1, siblings / cpuCores) : 1;
        }

        /**
         * What {@code cache size} means for this vendor: AMD's L2 of one core, Intel's L3 shared by
         * the package's siblings (or by all {@code processors} where the file does not say).
         */
        Map<Level, Long> cacheSizes(int processors) {
            if (cacheSizeBytes <= 0) return Map.of();
            if (amd()) return Map.of(Level.L2, cacheSizeBytes);
            if (intel()) return Map.of(Level.L3, cacheSizeBytes / Math.max(1, siblingsOr(processors)));
            return Map.of();
        }
    }

    /**
     * Cache sizes of CPU models, from the vendors' published figures, for the levels the OS does not
     * report.
     *
     * @param name       e.g. {@code "AMD Zen 5 (family 26)"}
     * @param l1dBytes   L1 data cache of one core
     * @param l2Bytes    L2 of one core
     * @param l3Bytes    one L3 (a CCX or CCD on AMD); 0 where it varies by part
     * @param coresPerL3 cores sharing one L3 (1 where {@code l3Bytes} is already per core)
     */
    record KnownCaches(String name, long l1dBytes, long l2Bytes, long l3Bytes, int coresPerL3) {

        private static final long K = 1 << 10, M = 1 << 20;

        static Optional<KnownCaches> lookup(ProcCpuinfo cpu) {
            int f = cpu.family(), m = cpu.modelNumber();
            if (cpu.amd()) {
                if (f == 0x17 && m < 0x30) return Optional.of(new KnownCaches("AMD Zen/Zen+ (family 23)", 32 * K, 512 * K, 8 * M, 4));
                if (f == 0x17) return Optional.of(new KnownCaches("AMD Zen 2 (family 23)", 32 * K, 512 * K, 16 * M, 4));
                boolean zen4 = f == 0x19 && ((m >= 0x10 && m <= 0x1F) || (m >= 0x60 && m <= 0x7F) || (m >= 0xA0 && m <= 0xAF));
                if (zen4) return Optional.of(new KnownCaches("AMD Zen 4 (family 25)", 32 * K, M, 32 * M, 8));
                if (f == 0x19) return Optional.of(new KnownCaches("AMD Zen 3 (family 25)", 32 * K, 512 * K, 32 * M, 8));
                if (f == 0x1A) return Optional.of(new KnownCaches("AMD Zen 5 (family 26)", 48 * K, M, 32 * M, 8));
            }
            if (cpu.intel() && f == 6) {
                return switch (m) {
                    case 0x55 -> Optional.of(new KnownCaches("Intel Skylake-SP/Cascade Lake/Cooper Lake", 32 * K, M, 1408 * K, 1));
                    case 0x6A, 0x6C -> Optional.of(new KnownCaches("Intel Ice Lake-SP", 48 * K, 1280 * K, 1536 * K, 1));
                    case 0x8F -> Optional.of(new KnownCaches("Intel Sapphire Rapids", 48 * K, 2 * M, 1920 * K, 1));
                    case 0xCF -> Optional.of(new KnownCaches("Intel Emerald Rapids", 48 * K, 2 * M, 5 * M, 1));
                    default -> Optional.empty();
                };
            }
            return Optional.empty();
        }
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
