/** The LeNet sample as a module. */
module io.gradus.samples.lenet {
    requires io.gradus.optim;
}
