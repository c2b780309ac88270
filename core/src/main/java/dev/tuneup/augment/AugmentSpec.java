package dev.tuneup.augment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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
        @Override
        public String toString() {
            String p = pipeline.toString();
            if (mix == null) {
                return p;
            }
            return p.isEmpty() ? mix.toString() : p + " | " + mix;
        }
    }

    private record Def(List<String> params, Function<Args, Object> make) {
    }

    private static final Map<String, Def> OPS = new TreeMap<>();

    private static void def(String name, String params, Function<Args, Object> make) {
        OPS.put(name, new Def(params.isEmpty() ? List.of() : List.of(params.split(",")), make));
    }

    static {
        def("crop", "size,pad,mode", a -> new Geometric.Crop(a.size(0), a.size(1), a.integer("pad", 0, 0, 4096),
                a.choice("mode", Warp.PadMode.class, Warp.PadMode.ZERO)));
        def("centercrop", "size", a -> new Geometric.CenterCrop(a.size(0), a.size(1)));
        def("resize", "size", a -> new Geometric.ResizeTo(a.size(0), a.size(1)));
        def("resizedcrop", "size,scale,ratio", a -> {
            double[] s = a.pair("scale", 0.08, 1.0, 0, 1);
            double[] r = a.pair("ratio", 3.0 / 4, 4.0 / 3, 1e-3, 1e3);
            return new Geometric.ResizedCrop(a.size(0), a.size(1), s[0], s[1], r[0], r[1]);
        });
        def("hflip", "", a -> new Geometric.Flip(true));
        def("vflip", "", a -> new Geometric.Flip(false));
        def("rotate", "degrees,interp,fill", a -> new Geometric.Affine(a.number("degrees", null, 0, 180), 0, 0, 1, 1, 0,
                a.choice("interp", Warp.Interp.class, Warp.Interp.NEAREST), a.integer("fill", 0, 0, 255), true));
        def("affine", "degrees,translate,scale,shear,interp,fill", a -> {
            double[] t = a.pair("translate", 0, 0, 0, 1);
            double[] s = a.pair("scale", 1, 1, 0.01, 100);
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
            double[] s = a.pair("sigma", 0.1, 2.0, 1e-3, 100);
            return new Photometric.Blur(k, s[0], s[1]);
        });
        def("noise", "std", a -> new Photometric.Noise(a.number("std", 0.05, 0, 1)));
        def("erase", "scale,ratio,value", a -> {
            double[] s = a.pair("scale", 0.02, 0.33, 0, 1);
            double[] r = a.pair("ratio", 0.3, 3.3, 1e-3, 1e3);
            String v = a.raw("value", "0");
            Erase.Fill fill = v.equals("random") ? Erase.Fill.RANDOM : v.equals("mean") ? Erase.Fill.MEAN : Erase.Fill.CONSTANT;
            int value = 0;
            if (fill == Erase.Fill.CONSTANT) {
                double d = parseNumber("erase", "value", v);
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
        def("mix", "mixup,cutmix,switch", a -> new BatchMix(a.number("mixup", 0.0, 0, 100), a.number("cutmix", 0.0, 0, 100),
                a.probability, a.number("switch", 0.5, 0, 1)));
        def("mixup", "alpha", a -> new BatchMix(a.number("alpha", 0.2, 0, 100), 0, a.probability, 0.5));
        def("cutmix", "alpha", a -> new BatchMix(0, a.number("alpha", 1.0, 0, 100), a.probability, 0.5));
    }

    private AugmentSpec() {
    }

    /** The op names the spec language knows. */
    public static List<String> opNames() {
        return List.copyOf(OPS.keySet());
    }

    /** Parses a spec string; an empty string is the empty pipeline. */
    public static Parsed parse(String spec) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < spec.length(); i++) {
            char ch = spec.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (ch == '|' && depth == 0) {
                parts.add(spec.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(spec.substring(start));
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
        return new Parsed(new Pipeline(steps), mix);
    }

    /** A step, a BatchMix, or null for an op with p=0. */
    private static Object parseOp(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty op in the spec (two '|' in a row?)");
        }
        int open = text.indexOf('(');
        String name = (open < 0 ? text : text.substring(0, open)).strip().toLowerCase(Locale.ROOT);
        Def def = OPS.get(name);
        if (def == null) {
            throw new IllegalArgumentException("unknown op '" + name + "'; allowed: " + String.join(", ", OPS.keySet()));
        }
        String body = "";
        if (open >= 0) {
            if (!text.endsWith(")")) {
                throw new IllegalArgumentException("'" + text + "': missing ')'");
            }
            body = text.substring(open + 1, text.length() - 1);
        }
        Args args = Args.parse(name, def.params, body);
        Object made = def.make.apply(args);
        args.done();
        if (made instanceof BatchMix) {
            return made;
        }
        ImageOp<?> op = (ImageOp<?>) made;
        double p = args.probability < 0 ? op.defaultProbability() : args.probability;
        return p == 0 ? null : new Pipeline.Step(op, p);
    }

    /** The arguments of one op, consumed by name or position; leftovers are errors. */
    static final class Args {
        private final String op;
        private final List<String> params;
        private final Map<String, String> values = new LinkedHashMap<>();
        double probability = -1;

        private Args(String op, List<String> params) {
            this.op = op;
            this.params = params;
        }

        static Args parse(String op, List<String> params, String body) {
            Args a = new Args(op, params);
            if (body.isBlank()) {
                return a;
            }
            List<String> items = new ArrayList<>();
            int depth = 0;
            int start = 0;
            for (int i = 0; i < body.length(); i++) {
                char ch = body.charAt(i);
                depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
                if (ch == ',' && depth == 0) {
                    items.add(body.substring(start, i));
                    start = i + 1;
                }
            }
            items.add(body.substring(start));
            boolean named = false;
            for (int i = 0; i < items.size(); i++) {
                String item = items.get(i).strip();
                int eq = item.indexOf('=');
                String key;
                String value;
                if (eq > 0 && !item.startsWith("(")) {
                    key = item.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                    value = item.substring(eq + 1).strip();
                    named = true;
                } else {
                    if (named) {
                        throw new IllegalArgumentException(op + ": positional argument '" + item + "' after a named one");
                    }
                    if (i >= params.size()) {
                        throw new IllegalArgumentException(op + ": too many arguments; it takes "
                                + (params.isEmpty() ? "none but p" : String.join(", ", params) + ", p"));
                    }
                    key = params.get(i);
                    value = item;
                }
                if (key.equals("p")) {
                    a.probability = parseNumber(op, "p", value);
                    if (a.probability < 0 || a.probability > 1) {
                        throw new IllegalArgumentException(op + ": p=" + value + " is not a probability in [0, 1]");
                    }
                    continue;
                }
                if (!params.contains(key)) {
                    throw new IllegalArgumentException(op + ": unknown argument '" + key + "'; allowed: "
                            + (params.isEmpty() ? "p" : String.join(", ", params) + ", p"));
                }
                if (a.values.put(key, value) != null) {
                    throw new IllegalArgumentException(op + ": argument '" + key + "' given twice");
                }
            }
            return a;
        }

        IllegalArgumentException error(String key, String what) {
            return new IllegalArgumentException(op + ": " + key + (what.startsWith("=") ? "" : " ") + what);
        }

        void done() {
            if (!values.isEmpty()) {
                throw new IllegalArgumentException(op + ": arguments " + values.keySet() + " were not used");
            }
        }

        String raw(String key, String def) {
            String v = values.remove(key);
            return v == null ? def : v.toLowerCase(Locale.ROOT);
        }

        double number(String key, Double def, double min, double max) {
            String v = values.remove(key);
            if (v == null) {
                if (def == null) {
                    throw error(key, "is required");
                }
                return def;
            }
            double d = parseNumber(op, key, v);
            if (d < min || d > max) {
                throw error(key, "=" + v + " is outside [" + num(min) + ", " + num(max) + "]");
            }
            return d;
        }

        int integer(String key, Integer def, int min, int max) {
            double d = number(key, def == null ? null : def.doubleValue(), min, max);
            if (d != Math.rint(d)) {
                throw error(key, "must be a whole number, got " + num(d));
            }
            return (int) d;
        }

        /** A tuple {@code (lo,hi)} with lo <= hi; a single number x means (x, x). */
        double[] pair(String key, double lo, double hi, double min, double max) {
            String v = values.remove(key);
            if (v == null) {
                return new double[] {lo, hi};
            }
            double[] t = tuple(key, v);
            double[] r = t.length == 1 ? new double[] {t[0], t[0]} : t;
            if (r.length != 2 || r[0] > r[1] && !key.equals("translate") || r[0] < min || r[1] > max) {
                throw error(key, "=" + v + " must be (low,high) within [" + num(min) + ", " + num(max) + "]");
            }
            return r;
        }

        private int[] sizeCache;

        /** {@code size} as an int or (h,w): part 0 is the height, 1 the width. */
        int size(int part) {
            if (sizeCache == null) {
                String v = values.remove("size");
                if (v == null) {
                    throw error("size", "is required (an int or (height,width))");
                }
                double[] t = tuple("size", v);
                if (t.length > 2 || t[0] < 1 || t[t.length - 1] < 1 || t[0] != Math.rint(t[0])
                        || t[t.length - 1] != Math.rint(t[t.length - 1])) {
                    throw error("size", "=" + v + " must be a positive int or (height,width)");
                }
                sizeCache = new int[] {(int) t[0], (int) t[t.length - 1]};
            }
            return sizeCache[part];
        }

        <E extends Enum<E>> E choice(String key, Class<E> type, E def) {
            String v = values.remove(key);
            if (v == null) {
                return def;
            }
            for (E e : type.getEnumConstants()) {
                if (word(e).equals(v.toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
            List<String> allowed = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                allowed.add(word(e));
            }
            throw error(key, "'" + v + "' is not one of " + allowed);
        }

        private double[] tuple(String key, String v) {
            String s = v.strip();
            if (s.startsWith("(") && s.endsWith(")")) {
                s = s.substring(1, s.length() - 1);
            }
            String[] parts = s.split(",");
            double[] out = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = parseNumber(op, key, parts[i].strip());
            }
            return out;
        }
    }

    static double parseNumber(String op, String key, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(op + ": " + key + "='" + v + "' is not a number");
        }
    }

    /** A number in its shortest exact form: 4, 0.25, 1.3333333333333333. */
    static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    static String pair(double a, double b) {
        return "(" + num(a) + "," + num(b) + ")";
    }

    static String size(int h, int w) {
        return h == w ? Integer.toString(h) : "(" + h + "," + w + ")";
    }

    static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
