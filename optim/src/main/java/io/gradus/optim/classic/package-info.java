/**
 * The methods of section 11.3 on functions of doubles: gradient descent in one and more
 * dimensions with traces, Newton's method, preconditioning and line search; and the projections
 * of section 11.2.3.
 */
package io.gradus.optim.classic;
