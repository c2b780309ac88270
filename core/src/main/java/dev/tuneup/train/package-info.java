/**
 * Training: the fit loop and the state it drives, and what steers it. Learning-rate schedules are
 * pure functions of the optimizer step ({@link dev.tuneup.train.Schedule#at(long, long)}) with a
 * compact string form for YAML that {@link dev.tuneup.train.Schedules#parse} reads and {@code
 * toString()} prints back: {@code cosine(lr=0.1,min=0,warmup=500)}. The one schedule driven by a
 * validation metric instead, reduce-on-plateau, is {@link dev.tuneup.train.Schedules.PlateauSchedule},
 * whose state is a small record for exact resume. Values are checked against
 * {@code torch.optim.lr_scheduler} (docs/schedules.md).
 */
package dev.tuneup.train;
