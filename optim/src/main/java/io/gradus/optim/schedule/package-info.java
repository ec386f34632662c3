/**
 * Learning-rate schedules of sections 11.4 and 11.11 with MXNet's semantics: pure functions of
 * the update count ({@link io.gradus.optim.schedule.LrSchedule}, built by
 * {@link io.gradus.optim.schedule.Schedules}) and schedulers with state that advances only when a
 * Trainer steps ({@link io.gradus.optim.schedule.LrScheduler}: the book's
 * {@link io.gradus.optim.schedule.BookFactorScheduler}, {@link io.gradus.optim.schedule.ReduceOnPlateau}).
 */
package io.gradus.optim.schedule;
