package dev.tuneup.tune;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Where one hyperparameter is drawn from. Numeric distributions also map a value to an internal
 * coordinate ({@link #toInternal}, the log for log scales) in which samplers model densities; the
 * internal range is {@code [internalLow(), internalHigh()]}.
 */
public sealed interface Distribution {
    /** A value drawn uniformly (in the internal coordinate). */
    Object sample(SplittableRandom rng);

    /** A real number drawn uniformly from {@code [low, high]}. */
    record Uniform(double low, double high) implements Distribution, Numeric {
        @Override
        public Object sample(SplittableRandom rng) {
            return low + (high - low) * rng.nextDouble();
        }

        @Override
        public double toInternal(Object v) {
            return ((Number) v).doubleValue();
        }

        @Override
        public Object fromInternal(double x) {
            return Math.min(high, Math.max(low, x));
        }

        @Override
        public double internalLow() {
            return low;
        }

        @Override
        public double internalHigh() {
            return high;
        }
    }

    /** A positive real number whose logarithm is uniform on {@code [ln low, ln high]}. */
    record LogUniform(double low, double high) implements Distribution, Numeric {
        @Override
        public Object sample(SplittableRandom rng) {
            return fromInternal(internalLow() + (internalHigh() - internalLow()) * rng.nextDouble());
        }

        @Override
        public double toInternal(Object v) {
            return Math.log(((Number) v).doubleValue());
        }

        @Override
        public Object fromInternal(double x) {
            return Math.min(high, Math.max(low, Math.exp(x)));
        }

        @Override
        public double internalLow() {
            return Math.log(low);
        }

        @Override
        public double internalHigh() {
            return Math.log(high);
        }
    }

    /**
     * An integer in {@code [low, high]} (both included), uniform or log-uniform; internally a real in
     * {@code [low - 0.5, high + 0.5]} (or its log) rounded back, so every integer has equal width.
     */
    record IntRange(int low, int high, boolean log) implements Distribution, Numeric {
        @Override
        public Object sample(SplittableRandom rng) {
            return fromInternal(internalLow() + (internalHigh() - internalLow()) * rng.nextDouble());
        }

        @Override
        public double toInternal(Object v) {
            double d = ((Number) v).doubleValue();
            return log ? Math.log(d) : d;
        }

        @Override
        public Object fromInternal(double x) {
            long r = Math.round(log ? Math.exp(x) : x);
            return (int) Math.min(high, Math.max(low, r));
        }

        @Override
        public double internalLow() {
            return log ? Math.log(low - 0.5) : low - 0.5;
        }

        @Override
        public double internalHigh() {
            return log ? Math.log(high + 0.5) : high + 0.5;
        }
    }

    /** One of a list of values (strings, numbers, booleans or lists), each equally likely. */
    record Categorical(List<Object> choices) implements Distribution {
        public Categorical {
            choices = List.copyOf(choices);
        }

        @Override
        public Object sample(SplittableRandom rng) {
            return choices.get(rng.nextInt(choices.size()));
        }

        /** The position of {@code v} in the choices, or -1. */
        public int indexOf(Object v) {
            return choices.indexOf(v);
        }
    }

    /** The numeric distributions' common view for samplers. */
    interface Numeric {
        double toInternal(Object v);

        /** The value at internal coordinate {@code x}, clamped to the range (and rounded for integers). */
        Object fromInternal(double x);

        double internalLow();

        double internalHigh();
    }
}
