package io.gradus.examples;

/**
 * One section of chapter 11 as a runnable experiment: it prints the section's numbers through
 * {@link Run#say} and draws its figures through {@link Run#figure}, which also feed {@code report.md}.
 */
public interface Section {

    /** The subcommand name, e.g. {@code gd}. */
    String name();

    /** The book's section number and title, e.g. {@code 11.3 Gradient Descent}. */
    String title();

    /** One line for {@code --help}. */
    String description();

    /** Runs the experiments; {@link Run#quick()} asks for a short version of the long ones. */
    void run(Run run) throws Exception;
}
