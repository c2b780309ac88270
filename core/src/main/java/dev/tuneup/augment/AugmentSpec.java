package dev.tuneup.augment;

import dev.tuneup.spec.SpecArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The augmentation spec language: ops separated by {@code |}, each {@code name} or
 * {@code name(arg, key=value, ...)}, values numbers, words or tuples {@code (a,b)}; every op takes
 * {@code p=} (probability; an op with {@code p=0} is left out). {@code mix(...)}, {@code mixup(a)}
 * and {@code cutmix(a)} configure batch mixing. Errors name the op and argument and list what is
 * allowed; printing a parsed spec gives a canonical string that parses to the same thing.
 */
public final class AugmentSpec {
    /** A parsed spec: the per-image pipeline and the batch mixing (null when none). */
    public record Parsed(Pipeline pipeline, BatchMix mix) {
        /** The same with {@code op} run first on every image. */
        public Parsed withFirst(ImageOp<?> op) {
            return new Parsed(pipeline.withFirst(op), mix);
        }

        @Override
        public String toString() {
            String p = pipeline.toString();
            if (mix == null) {
                return p;
            }
            return p.isEmpty() ? mix.toString() : p + " | " + mix;
        }
    }

    /** An op: its arguments (each by position or name, plus p) and how to make it from them and p (-1: not given). */
    private record Def(SpecArgs.Signature signature, BiFunction<SpecArgs, Double, Object> make) {
    }

    private static final Map<String, Def> OPS = new TreeMap<>();

    /** Defines an op that leaves {@code p} to {@link #parseOp}. */
    private static void def(String name, String params, Function<SpecArgs, Object> make) {
        op(name, params, (a, p) -> make.apply(a));
    }

    /** Defines an op made from its arguments and {@code p} (-1 when not given): batch mixing. */
    private static void op(String name, String params, BiFunction<SpecArgs, Double, Object> make) {
        List<String> names = params.isEmpty() ? List.of() : List.of(params.split(","));
        String usage = "it takes " + (names.isEmpty() ? "none but p" : String.join(", ", names) + ", p");
        OPS.put(name, new Def(new SpecArgs.Signature(names, names.size(), List.of("p"), usage), make));
    }

    static {
        def("crop", "size,pad,mode", a -> {
            int[] hw = size(a);
            return new Geometric.Crop(hw[0], hw[1], a.integer("pad", 0, 0, 4096),
                    a.choice("mode", Warp.PadMode.class, Warp.PadMode.ZERO));
        });
        def("centercrop", "size", a -> {
            int[] hw = size(a);
            return new Geometric.CenterCrop(hw[0], hw[1]);
        });
        def("resize", "size", a -> {
            int[] hw = size(a);
            return new Geometric.ResizeTo(hw[0], hw[1]);
        });
        def("fit", "size,crop", a -> {
            int[] hw = size(a);
            return new Geometric.FitTo(new dev.tuneup.data.Fit(hw[0], hw[1], a.number("crop", 0.0, 0, 1)));
        });
        def("resizedcrop", "size,scale,ratio", a -> {
            double[] s = a.pair("scale", 0.08, 1.0, 0, 1, true);
            double[] r = a.pair("ratio", 3.0 / 4, 4.0 / 3, 1e-3, 1e3, true);
            int[] hw = size(a);
            return new Geometric.ResizedCrop(hw[0], hw[1], s[0], s[1], r[0], r[1]);
        });
        def("hflip", "", a -> new Geometric.Flip(true));
        def("vflip", "", a -> new Geometric.Flip(false));
        def("rotate", "degrees,interp,fill", a -> new Geometric.Affine(a.number("degrees", null, 0, 180), 0, 0, 1, 1, 0,
                a.choice("interp", Warp.Interp.class, Warp.Interp.NEAREST), a.integer("fill", 0, 0, 255), true));
        def("affine", "degrees,translate,scale,shear,interp,fill", a -> {
            double[] t = a.pair("translate", 0, 0, 0, 1, false);
            double[] s = a.pair("scale", 1, 1, 0.01, 100, true);
            return new Geometric.Affine(a.number("degrees", 0.0, 0, 180), t[0], t[1], s[0], s[1],
                    a.number("shear", 0.0, 0, 89), a.choice("interp", Warp.Interp.class, Warp.Interp.NEAREST),
                    a.integer("fill", 0, 0, 255), false);
        });
        def("perspective", "distortion,interp,fill", a -> new Geometric.Perspective(a.number("distortion", 0.5, 0, 1),
                a.choice("interp", Warp.Interp.class, Warp.Interp.BILINEAR), a.integer("fill", 0, 0, 255)));
        for (Photometric.Property prop : Photometric.Property.values()) {
            double max = prop == Photometric.Property.HUE ? 0.5 : 100;
            def(word(prop), "strength", a -> new Photometric.Jitter(prop, a.number("strength", null, 0, max)));
        }
        def("colorjitter", "brightness,contrast,saturation,hue", a -> new Photometric.ColorJitter(
                a.number("brightness", 0.0, 0, 100), a.number("contrast", 0.0, 0, 100),
                a.number("saturation", 0.0, 0, 100), a.number("hue", 0.0, 0, 0.5)));
        def("grayscale", "", a -> new Photometric.FixedColor(Photometric.Fixed.GRAYSCALE, 0));
        def("invert", "", a -> new Photometric.FixedColor(Photometric.Fixed.INVERT, 0));
        def("equalize", "", a -> new Photometric.FixedColor(Photometric.Fixed.EQUALIZE, 0));
        def("autocontrast", "", a -> new Photometric.FixedColor(Photometric.Fixed.AUTOCONTRAST, 0));
        def("posterize", "bits", a -> new Photometric.FixedColor(Photometric.Fixed.POSTERIZE, a.integer("bits", null, 0, 8)));
        def("solarize", "threshold", a -> new Photometric.FixedColor(Photometric.Fixed.SOLARIZE,
                a.number("threshold", null, 0, 256)));
        def("sharpness", "factor", a -> new Photometric.FixedColor(Photometric.Fixed.SHARPNESS, a.number("factor", null, 0, 100)));
        def("blur", "kernel,sigma", a -> {
            int k = a.integer("kernel", 3, 1, 99);
            if (k % 2 == 0) {
                throw a.error("kernel", "must be odd, got " + k);
            }
            double[] s = a.pair("sigma", 0.1, 2.0, 1e-3, 100, true);
            return new Photometric.Blur(k, s[0], s[1]);
        });
        def("noise", "std", a -> new Photometric.Noise(a.number("std", 0.05, 0, 1)));
        def("erase", "scale,ratio,value", a -> {
            double[] s = a.pair("scale", 0.02, 0.33, 0, 1, true);
            double[] r = a.pair("ratio", 0.3, 3.3, 1e-3, 1e3, true);
            String v = a.raw("value", "0");
            Erase.Fill fill = v.equals("random") ? Erase.Fill.RANDOM : v.equals("mean") ? Erase.Fill.MEAN : Erase.Fill.CONSTANT;
            int value = 0;
            if (fill == Erase.Fill.CONSTANT) {
                double d = SpecArgs.parseNumber("erase", "value", v);
                if (d != Math.rint(d) || d < 0 || d > 255) {
                    throw a.error("value", "=" + v + " must be 0..255, random or mean");
                }
                value = (int) d;
            }
            return new Erase(s[0], s[1], r[0], r[1], fill, value);
        });
        def("randaugment", "n,m,bins", a -> new Policies.RandAugment(a.integer("n", 2, 1, 10), a.integer("m", 9, 0, 100),
                a.integer("bins", 31, 2, 101)));
        def("trivialaugment", "bins", a -> new Policies.TrivialAugment(a.integer("bins", 31, 2, 101)));
        def("autoaugment", "policy", a -> {
            String policy = a.raw("policy", "cifar10");
            if (!policy.equals("cifar10")) {
                throw a.error("policy", "'" + policy + "' is not known; allowed: cifar10");
            }
            return new Policies.AutoAugment(policy);
        });
        def("augmix", "severity,width,depth,alpha", a -> new Policies.AugMix(a.integer("severity", 3, 1, 10),
                a.integer("width", 3, 1, 10), a.integer("depth", -1, -1, 10), a.number("alpha", 1.0, 1e-3, 100)));
        def("replay", "", a -> new Replay());
        def("jsd", "weight", a -> new Consistency(a.number("weight", 12.0, 1e-6, 1000)));
        op("mix", "mixup,cutmix,switch", (a, p) -> new BatchMix(a.number("mixup", 0.0, 0, 100),
                a.number("cutmix", 0.0, 0, 100), p, a.number("switch", 0.5, 0, 1)));
        op("mixup", "alpha", (a, p) -> new BatchMix(a.number("alpha", 0.2, 0, 100), 0, p, 0.5));
        op("cutmix", "alpha", (a, p) -> new BatchMix(0, a.number("alpha", 1.0, 0, 100), p, 0.5));
    }

    private AugmentSpec() {
    }

    /** The op names the spec language knows. */
    public static List<String> opNames() {
        return List.copyOf(OPS.keySet());
    }

    /** Parses a spec string; an empty string is the empty pipeline. */
    public static Parsed parse(String spec) {
        List<String> parts = SpecArgs.split(spec, '|');
        if (parts.size() == 1 && parts.get(0).isBlank()) {
            return new Parsed(new Pipeline(List.of()), null);
        }
        return parse(parts);
    }

    /** Parses a list of ops (the YAML list form). */
    public static Parsed parse(List<String> ops) {
        List<Pipeline.Step> steps = new ArrayList<>();
        BatchMix mix = null;
        for (String text : ops) {
            Object made = parseOp(text.strip());
            if (made instanceof BatchMix m) {
                if (mix != null) {
                    throw new IllegalArgumentException("'" + text.strip() + "': batch mixing is given twice; use one"
                            + " mix(mixup=..,cutmix=..) for both");
                }
                mix = m.probability() == 0 ? null : m;
            } else if (made != null) {
                steps.add((Pipeline.Step) made);
            }
        }
        Pipeline pipeline = new Pipeline(steps);
        if (mix != null && pipeline.views() != null) {
            throw new IllegalArgumentException("batch mixing and jsd views do not combine (AugMix trains on the clean"
                    + " view's own labels); drop one");
        }
        return new Parsed(pipeline, mix);
    }

    /** A step, a BatchMix, or null for an op with p=0. */
    private static Object parseOp(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty op in the spec (two '|' in a row?)");
        }
        String name = SpecArgs.nameOf(text);
        Def def = OPS.get(name);
        if (def == null) {
            throw new IllegalArgumentException("unknown op '" + name + "'; allowed: " + String.join(", ", OPS.keySet()));
        }
        double[] given = {-1};
        SpecArgs args = SpecArgs.bind(name, SpecArgs.bodyOf(text, "missing ')'"), def.signature,
                (key, value) -> given[0] = probability(name, value));
        Object made = def.make.apply(args, given[0]);
        args.done();
        if (made instanceof BatchMix) {
            return made;
        }
        ImageOp<?> op = (ImageOp<?>) made;
        double p = given[0] < 0 ? op.defaultProbability() : given[0];
        return p == 0 ? null : new Pipeline.Step(op, p);
    }

    /** The value of {@code p=}, checked at once. */
    private static double probability(String op, String value) {
        double p = SpecArgs.parseNumber(op, "p", value);
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException(op + ": p=" + value + " is not a probability in [0, 1]");
        }
        return p;
    }

    /** {@code size} as an int or (h,w): {height, width}. */
    private static int[] size(SpecArgs a) {
        String v = a.take("size");
        if (v == null) {
            throw a.error("size", "is required (an int or (height,width))");
        }
        double[] t = a.tuple("size", v);
        if (t.length > 2 || t[0] < 1 || t[t.length - 1] < 1 || t[0] != Math.rint(t[0])
                || t[t.length - 1] != Math.rint(t[t.length - 1])) {
            throw a.error("size", "=" + v + " must be a positive int or (height,width)");
        }
        return new int[] {(int) t[0], (int) t[t.length - 1]};
    }

    /** A number in its shortest exact form: 4, 0.25, 1.3333333333333333. */
    static String num(double d) {
        return SpecArgs.num(d);
    }

    static String pair(double a, double b) {
        return "(" + num(a) + "," + num(b) + ")";
    }

    static String size(int h, int w) {
        return h == w ? Integer.toString(h) : "(" + h + "," + w + ")";
    }

    static String word(Enum<?> e) {
        return SpecArgs.wordOf(e);
    }
}
