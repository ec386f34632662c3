/*
 * A HotSpot disassembler plug-in ("hsdis") on Capstone, so that -XX:+PrintAssembly shows the
 * machine code C2 makes of Gradus's kernels (register allocation, spills, range checks, the loop
 * that the Vector API becomes). Diagnosis only: nothing in Gradus loads it.
 *
 * HotSpot looks up one entry point in a library named hsdis-<arch>.so and calls it for every
 * range of code it prints. For each instruction this plug-in reports the events "insn" (its
 * address) and "/insn" (the address after it), between which it prints the instruction; HotSpot
 * adds the addresses, the comments ({poll}, oop maps, the bytecode each instruction came from)
 * around them. Built by tools/hsdis/build, which also says how to use it.
 */
#include <capstone/capstone.h>
#include <stdint.h>

typedef void *(*hsdis_event_callback)(void *stream, const char *event, void *arg);
typedef int (*hsdis_printf_callback)(void *stream, const char *format, ...);

#if defined(__x86_64__)
#define GRADUS_CS_ARCH CS_ARCH_X86
#define GRADUS_CS_MODE CS_MODE_64
#elif defined(__aarch64__)
#define GRADUS_CS_ARCH CS_ARCH_ARM64
#define GRADUS_CS_MODE CS_MODE_ARM
#else
#error "hsdis-capstone.c: only x86-64 and AArch64 are handled"
#endif

/*
 * Decodes [buffer, buffer + length), which HotSpot maps at virtual addresses [start_va, end_va).
 * Returns the address after the last instruction decoded (start_va when none could be).
 * options: HotSpot's -XX:PrintAssemblyOptions; "intel" (the default here) or "att" on x86.
 */
void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer, uintptr_t length,
                                  hsdis_event_callback event, void *event_stream,
                                  hsdis_printf_callback print, void *print_stream,
                                  const char *options, int newline) {
    (void) end_va;
    csh handle;
    if (cs_open(GRADUS_CS_ARCH, GRADUS_CS_MODE, &handle) != CS_ERR_OK) {
        return (void *) start_va;
    }
#if defined(__x86_64__)
    if (options != 0 && options[0] == 'a' && options[1] == 't' && options[2] == 't') {
        cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
    }
#endif
    /* Keep going past bytes that are not instructions (constants in the code), as HotSpot expects. */
    cs_option(handle, CS_OPT_SKIPDATA, CS_OPT_ON);
    cs_insn *insns;
    size_t count = cs_disasm(handle, buffer, length, start_va, 0, &insns);
    uintptr_t next = start_va;
    for (size_t i = 0; i < count; i++) {
        event(event_stream, "insn", (void *) (uintptr_t) insns[i].address);
        print(print_stream, "%s %s", insns[i].mnemonic, insns[i].op_str);
        next = (uintptr_t) insns[i].address + insns[i].size;
        event(event_stream, "/insn", (void *) next);
        if (newline) {
            print(print_stream, "\n");
        }
    }
    if (count > 0) {
        cs_free(insns, count);
    }
    cs_close(&handle);
    return (void *) next;
}
