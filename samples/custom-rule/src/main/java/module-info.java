/**
 * The custom-rule sample as a module. Its kernel's fields are read and set by reflection when the
 * rule is bound to arrays (io.gradus.optim) and launched on a device (io.gradus.gpu).
 */
module io.gradus.samples.rule {
    requires io.gradus.optim;

    opens io.gradus.samples.rule to io.gradus.optim, io.gradus.gpu;
}
