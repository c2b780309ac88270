package dev.tuneup.augment;

import dev.tuneup.data.Image;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Ops applied in order, each with its probability ({@link Step}); the loader's per-image transform.
 * A train pipeline may hold random ops; {@link #forEval} refuses them, so evaluation is always
 * deterministic. Printing gives the spec string it was parsed from (canonical form).
 */
public final class Pipeline implements SampleTransform {
    /** An op and the probability of applying it (the spec's {@code p=}); never 0. */
    public record Step(ImageOp<?> op, double p) {
        public Step {
            if (!(p > 0 && p <= 1)) {
                throw new IllegalArgumentException("probability must be in (0, 1], got " + p);
            }
        }

        boolean isRandom() {
            return p < 1 || op.isRandom();
        }

        @Override
        public String toString() {
            String s = op.toString();
            if (p == op.defaultProbability()) {
                return s;
            }
            String prob = "p=" + AugmentSpec.num(p);
            return s.endsWith(")") ? s.substring(0, s.length() - 1) + "," + prob + ")" : s + "(" + prob + ")";
        }
    }

    /**
     * A pipeline split at its {@code jsd(...)} step: {@code clean} makes the view the classification
     * loss sees, {@code augment} is drawn on it for each of the two extra views, {@code weight} scales
     * the Jensen-Shannon term.
     */
    public record Views(Pipeline clean, Pipeline augment, double weight) {
        /** Rows per image in a batch: the clean view and two augmented ones. */
        public static final int COUNT = 3;
    }

    private final List<Step> steps;

    public Pipeline(List<Step> steps) {
        this.steps = List.copyOf(steps);
        long markers = this.steps.stream().filter(s -> s.op instanceof Marker).count();
        for (Step s : this.steps) {
            if (s.op instanceof Consistency && (s.p < 1 || markers > 1)) {
                throw new IllegalArgumentException("'" + s + "' must be given once, with p=1, and not with replay: the"
                        + " classification loss already sees only the clean view");
            }
        }
    }

    /** The split at the {@code jsd} step, or null when the pipeline has none. */
    public Views views() {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).op instanceof Consistency c) {
                return new Views(new Pipeline(steps.subList(0, i)), new Pipeline(steps.subList(i + 1, steps.size())),
                        c.weight());
            }
        }
        return null;
    }

    /** The same steps, refused if any is random. */
    public static Pipeline forEval(Pipeline p) {
        for (Step s : p.steps) {
            if (s.isRandom()) {
                throw new IllegalArgumentException("'" + s + "' is random; an eval pipeline may only hold"
                        + " deterministic ops (e.g. a fixed resize or center crop)");
            }
        }
        return p;
    }

    /** This pipeline with {@code op} run first, always. */
    public Pipeline withFirst(ImageOp<?> op) {
        List<Step> all = new java.util.ArrayList<>();
        all.add(new Step(op, 1.0));
        all.addAll(steps);
        return new Pipeline(all);
    }

    /** True when an op sets the image size by resizing ({@code resize}, {@code resizedcrop}, {@code fit}). */
    public boolean resizes() {
        return steps.stream().anyMatch(s -> s.op instanceof Geometric.ResizeTo || s.op instanceof Geometric.ResizedCrop
                || s.op instanceof Geometric.FitTo);
    }

    /** The size every input comes out at, or null when the output size depends on the input's. */
    public int[] fixedSize() {
        try {
            int[] a = outputSize(4099, 4093);
            int[] b = outputSize(3001, 2999);
            return java.util.Arrays.equals(a, b) ? a : null;
        } catch (IllegalArgumentException e) {
            return null; // a size that changes only sometimes: outputSize names it when the loader is built
        }
    }

    public List<Step> steps() {
        return steps;
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    public boolean isRandom() {
        return steps.stream().anyMatch(Step::isRandom);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        Image out = image;
        for (Step s : steps) {
            boolean on = s.p >= 1 || rng.nextDouble() < s.p;
            if (on && s.op instanceof Marker) {
                return out; // replayed as the ops before left it, or the clean view
            }
            if (on) {
                out = s.op.run(out, rng);
            }
        }
        return out;
    }

    /** The output size for an input of {@code height x width}. */
    public int[] outputSize(int height, int width) {
        int[] hw = {height, width};
        boolean sometimes = false;
        for (Step s : steps) {
            sometimes |= s.op instanceof Marker;
            int[] next = s.op.outputSize(hw[0], hw[1]);
            if ((s.p < 1 || sometimes) && (next[0] != hw[0] || next[1] != hw[1])) {
                throw new IllegalArgumentException("'" + s + "' changes the size from " + hw[0] + "x" + hw[1] + " to "
                        + next[0] + "x" + next[1] + " but only sometimes (p < 1, or after replay or jsd); batches need one size");
            }
            hw = next;
        }
        return hw;
    }

    @Override
    public String toString() {
        return steps.stream().map(Step::toString).collect(Collectors.joining(" | "));
    }
}
