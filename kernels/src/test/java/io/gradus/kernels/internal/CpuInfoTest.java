package io.gradus.kernels.internal;



import io.gradus.kernels.gemm.GemmBlocking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

class CpuInfoTest {

    @TempDir
    Path tmp;

    static void cache(Path dir, int index, int level, String type, String size, String shared) throws IOException {
        Path d = Files.createDirectories(dir.resolve("index" + index));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
        Files.writeString(d.resolve("shared_cpu_list"), shared + "\n");
    }

    @Test
    void readsLinuxCacheDirectoriesAndSharesTheLastLevelPerProcessor() throws IOException {
        cache(tmp, 0, 1, "Data", "48K", "0");
        cache(tmp, 1, 1, "Instruction", "32K", "0");
        cache(tmp, 2, 2, "Unified", "2048K", "0");
        cache(tmp, 3, 3, "Unified", "32M", "0-3,8-11");
        CpuInfo cpu = CpuInfo.read(tmp);
        assertEquals(48 << 10, cpu.l1dBytes());
        assertEquals(2 << 20, cpu.l2Bytes());
        assertEquals(4 << 20, cpu.l3BytesPerCore(), "32 MiB shared by 8 processors");
        assertTrue(cpu.fromSystem());
        CpuInfo none = CpuInfo.read(tmp.resolve("missing"));
        assertFalse(none.fromSystem());
        assertEquals(CpuInfo.FALLBACK.l2Bytes(), none.l2Bytes());
        assertTrue(none.describe().contains("assumed"), none.describe());
    }

    @Test
    void parsesSizesAndProcessorLists() {
        assertEquals(32 << 10, CpuInfo.parseSize("32K"));
        assertEquals(1 << 20, CpuInfo.parseSize("1M"));
        assertEquals(12345, CpuInfo.parseSize("12345"));
        assertEquals(1, CpuInfo.countCpus("0"));
        assertEquals(8, CpuInfo.countCpus("0-3,8-11"));
        assertEquals(3, CpuInfo.countCpus("1,3,5\n"));
    }

    @Test
    void vectorRegistersFollowTheJitNotTheCpu() {
        assertEquals(32, CpuInfo.vectorRegisters("aarch64", -1));
        assertEquals(32, CpuInfo.vectorRegisters("amd64", 3));
        assertEquals(16, CpuInfo.vectorRegisters("amd64", 2));
        assertEquals(16, CpuInfo.vectorRegisters("amd64", 0));
        var e = assertThrows(IllegalArgumentException.class, () -> new CpuInfo("x", "y", 24, 1, 1, 0, 1, true));
        assertEquals("vectorRegisters = 24: expected 16 or 32", e.getMessage());
    }

    /**
     * The kernel this JVM chose matches what it is: 12x2v with 32 registers, 6x2v with 16, the
     * scalar 4x8 without SIMD; vectors of the JVM's preferred width (this test also runs with
     * {@code -XX:UseAVX=2} and {@code -XX:MaxVectorSize=16}, see the parent pom).
     */
    @Test
    void theStartUpChoiceFitsThisJvm() {
        String property = System.getProperty(SgemmTuning.KERNEL_PROPERTY);
        GemmBlocking b = SimdSupport.sgemmMicroKernel().blocking();
        System.out.println("SGEMM: " + SimdSupport.describe());
        if (property != null) return;
        if (!SimdSupport.choice().vector()) {
            assertEquals(4, b.mr());
            assertEquals(8, b.nr());
            return;
        }
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        if (CpuInfo.detect().vectorRegisters() == 32) {
            assertEquals(12, b.mr());
        } else {
            assertEquals(6, b.mr());
        }
        assertEquals(2 * lanes, b.nr());
        assertTrue(SimdSupport.describe().contains(FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit"), SimdSupport.describe());
        assertTrue(b.kc() >= 256 && b.kc() <= 1024, b.toString());
        assertEquals(0, b.mc() % b.mr());
    }

    @Test
    void theOverrideIsParsedAndChecked() {
        var family = io.gradus.kernels.gemm.ScalarSgemmMicroKernel.FAMILY;
        CpuInfo cpu = CpuInfo.FALLBACK;
        var choice = SgemmTuning.choose(cpu, family, "4x8v:64,128,512");
        assertEquals(new GemmBlocking(4, 8, 64, 128, 512), choice.kernel().blocking());
        var e = assertThrows(IllegalArgumentException.class, () -> SgemmTuning.choose(cpu, family, "12x2v"));
        assertTrue(e.getMessage().startsWith("-Dgradus.gemm.kernel = '12x2v': the scalar kernels have [4x8v]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SgemmTuning.choose(cpu, family, "4x8v:1,2"));
        assertTrue(e.getMessage().contains("blocking '1,2' has 2 numbers, expected mc,kc,nc"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SgemmTuning.choose(cpu, family, "big"));
        assertTrue(e.getMessage().contains("SGEMM tile 'big': expected ROWSxVECTORSv, e.g. 12x2v"), e.getMessage());
    }
}
