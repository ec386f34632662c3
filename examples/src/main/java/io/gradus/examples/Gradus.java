package io.gradus.examples;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command line: one subcommand per section of chapter 11 and {@code all}. Each writes its
 * figures as PNG files into {@code --out} and appends its printed lines and figures to
 * {@code report.md} there.
 *
 * <pre>
 * gradus all --quick            every section, short versions of the long runs
 * gradus momentum --out /tmp/m  one section
 * gradus schedules --epochs 40  section 11.11 with the book's 40 epochs
 * </pre>
 */
@Command(name = "gradus", mixinStandardHelpOptions = true, versionProvider = Gradus.Version.class,
        description = "Every experiment of chapter 11 (Optimization Algorithms) of Dive into Deep Learning: "
                + "the book's printed numbers, its figures as PNG files, and a report.md beside them.")
public final class Gradus implements Callable<Integer> {

    /** Options every subcommand takes. */
    static final class Options {
        @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/chapter11",
                description = "Where the PNG files and report.md go (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--quick", description = "Short versions of the long runs (data subsets, one epoch, short benchmarks).")
        boolean quick;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--epochs", paramLabel = "N", converter = AtLeastOne.class,
                description = "Epochs of the Fashion-MNIST runs of 11.11 (default 2, or 1 with --quick; the book uses 40).")
        Integer epochs;

        @Option(names = "--progress", defaultValue = "auto", paramLabel = "MODE",
                description = "Progress on stderr: auto (a bar on a terminal, lines otherwise), bar, lines or none.")
        Progress.Mode progress;

        @Option(names = "--device", defaultValue = "cpu", paramLabel = "WHERE",
                description = "Where the Fashion-MNIST and airfoil networks train (the MLPs, 11.11's LeNet): cpu (default) or gpu (the OpenCL device that "
                        + "-Dgradus.device chooses; the host when there is none).")
        Where device;

        @Option(names = "--seeds", defaultValue = "1", paramLabel = "N", converter = AtLeastOne.class,
                description = "11.11: train each schedule on N seeds (--seed, --seed + 1, ...), several at once where "
                        + "cores allow, and report the median and range over them (default: ${DEFAULT-VALUE}).")
        int seeds;

        @Option(names = "--schedule", paramLabel = "NAME", split = ",",
                description = "11.11: train only these schedules, by the first word of their names (constant, square, "
                        + "book, multi-factor, cosine, cosine-warmup); default: all.")
        List<String> schedules;
    }

    /** Where the Dense runs train. */
    enum Where { CPU, GPU }

    /** Reads a count that must be at least 1 (picocli names the option in its message). */
    static final class AtLeastOne implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an integer; expected a count >= 1");
            }
            if (n < 1) throw new CommandLine.TypeConversionException(n + "; expected a count >= 1");
            return n;
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** The version every command prints for {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Gradus 0.1.0", "Java " + System.getProperty("java.version") + ", " + io.gradus.kernels.internal.SimdSupport.describe()};
        }
    }

    /** One section as a subcommand. */
    @Command(mixinStandardHelpOptions = true, versionProvider = Version.class)
    static final class SectionCommand implements Callable<Integer> {
        private final Section section;
        private final PrintStream out, err;
        @Mixin Options options = new Options();

        SectionCommand(Section section, PrintStream out, PrintStream err) {
            this.section = section;
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            return runSections(List.of(section), options, out, err);
        }
    }

    /** An MLP on Fashion-MNIST with any optimizer, on the CPU or the device (not a section of the book: not in {@code all}). */
    @Command(name = "mlp", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "An MLP (784-256-256-10, ReLU) on Fashion-MNIST with any chapter optimizer, on the CPU or "
                    + "(--device gpu) the OpenCL device: train loss, train acc, test acc and examples/sec per epoch, and "
                    + "the loss curve (default 5 epochs; --quick: 1 epoch on 10,000 images).")
    static final class MlpCommand implements Callable<Integer> {
        private final PrintStream out, err;
        @Mixin Options options = new Options();

        @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "NAME",
                description = "One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
                completionCandidates = io.gradus.examples.sections.Mlp.Names.class)
        String optimizer;

        @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default: the algorithm's, see --help).")
        Double lr;

        @Option(names = "--batch", defaultValue = "256", paramLabel = "N", converter = AtLeastOne.class,
                description = "Minibatch size (default: ${DEFAULT-VALUE}).")
        int batch;

        MlpCommand(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            io.gradus.examples.sections.Mlp section;
            try {
                section = new io.gradus.examples.sections.Mlp(optimizer, lr, batch);
            } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
                err.println("--optimizer / --lr: " + e.getMessage());
                return 2;
            }
            return runSections(List.of(section), options, out, err);
        }
    }

    /** Every section in the book's order. */
    @Command(name = "all", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Every section in the book's order (about 2 minutes on 2 cores; under 1 with --quick).")
    static final class AllCommand implements Callable<Integer> {
        private final PrintStream out, err;
        @Mixin Options options = new Options();

        AllCommand(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            return runSections(Sections.all(), options, out, err);
        }
    }

    /**
     * Runs the sections one after another; a section that fails (say, a missing dataset) is
     * reported and the others still run. Returns 0 when all succeeded, else 1.
     */
    static int runSections(List<Section> sections, Options o, PrintStream out, PrintStream err) {
        if (java.nio.file.Files.exists(o.out) && !java.nio.file.Files.isDirectory(o.out)) {
            err.println("--out " + o.out + ": not a directory; expected a directory for the figures and report.md");
            return 2;
        }
        // The output folder is checked before any section runs: a folder that cannot be made or
        // written stops the program at once, with the reason, not after every section failed.
        try {
            java.nio.file.Files.createDirectories(o.out);
            java.nio.file.Path probe = java.nio.file.Files.createTempFile(o.out, ".gradus-write-check", ".tmp");
            java.nio.file.Files.delete(probe);
        } catch (java.io.IOException | RuntimeException e) {
            err.println("--out " + o.out + ": cannot write there (" + e + "); expected a writable directory for the figures and report.md");
            return 2;
        }
        int failed = 0;
        for (Section section : sections) {
            out.println();
            out.println("== " + section.title() + " (" + section.name() + ")");
            Run run = new Run(section, o.out, o.quick, o.seed, o.epochs, o.progress, o.device == Where.GPU, out, err)
                    .withSeeds(o.seeds, o.schedules == null ? List.of() : o.schedules);
            String note = null;
            boolean sectionFailed = false;
            try {
                section.run(run);
            } catch (Exception | AssertionError e) {
                sectionFailed = true;
                // A file-system error's message is only the path: add what happened to it.
                note = section.name() + " failed: " + (e instanceof java.nio.file.FileSystemException fs
                        ? fs.getClass().getSimpleName() + " " + fs.getMessage() : e.getMessage());
                err.println(note);
                if (!(e instanceof java.io.IOException)) e.printStackTrace(err);
            }
            try {
                run.writeReport(note);
            } catch (java.io.IOException e) {
                sectionFailed = true;
                err.println("could not write " + o.out.resolve("report.md") + ": " + e);
            }
            if (sectionFailed) failed++; // one count per section, whatever failed in it
        }
        out.println();
        out.println("Figures and report: " + o.out.toAbsolutePath().normalize().resolve("report.md"));
        if (failed > 0) err.println(failed + " of " + sections.size() + " section(s) failed; see the messages above");
        return failed == 0 ? 0 : 1;
    }

    /** The command line with every subcommand, printing to the given streams. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Gradus());
        for (Section s : Sections.all()) {
            CommandLine sub = new CommandLine(new SectionCommand(s, out, err));
            sub.getCommandSpec().usageMessage().description(s.title() + ": " + s.description());
            cl.addSubcommand(s.name(), sub);
        }
        cl.addSubcommand("all", new CommandLine(new AllCommand(out, err)));
        cl.addSubcommand("mlp", new CommandLine(new MlpCommand(out, err)));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl;
    }

    /** Runs the program with {@code args}; returns its exit code. */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        return commandLine(out, err).execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }
}
