/** The linear-regression sample as a module: it needs no --add-modules flag. */
module io.gradus.samples.linreg {
    requires io.gradus.optim;
}
