package dev.tuneup.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.tuneup.TuneupException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Mixed-precision training in bfloat16, as {@code torch.autocast("cpu", torch.bfloat16)} does it: the
 * weights stay float32 (the optimizer updates those), each training forward casts the input and every
 * convolution and dense weight and bias to bf16, BatchNorm keeps float32 scales and running statistics,
 * and the logits go back to float32 before the loss. On CPUs with AMX-BF16 or AVX512-BF16, oneDNN's bf16
 * convolutions are several times faster than float32 ones. Inference and validation stay float32.
 *
 * <p>DJL 0.36 cannot name bfloat16 ({@code toType(BFLOAT16)} aborts the JVM; its casts run without
 * autograd), so the casts run in a one-function TorchScript module ({@code bf16-cast.pt}, written by
 * {@code scripts/gen_bf16_cast.py}) with autograd on: gradients reach the float32 weights. 4-D tensors
 * become channels-last, the layout oneDNN's bf16 convolutions work in. DJL reports a bf16 array's type
 * as {@link DataType#UNKNOWN}.
 */
public final class Bf16 {
    /** The values of {@code training.precision}. */
    public static final java.util.List<String> PRECISIONS = java.util.List.of("auto", "bf16", "fp32");
    private static final String RESOURCE = "bf16-cast.pt";
    private static final Set<Parameter.Type> CAST = Set.of(Parameter.Type.WEIGHT, Parameter.Type.BIAS);
    private static PtSymbolBlock module;

    private Bf16() {
    }

    /** Whether this CPU computes bf16 natively (AMX-BF16 or AVX512-BF16), from /proc/cpuinfo; false elsewhere. */
    public static boolean cpuSupports() {
        return Holder.SUPPORTED;
    }

    /** Whether a CPU with these {@code flags} (as /proc/cpuinfo lists them) computes bf16 natively. */
    public static boolean supports(String flags) {
        Set<String> f = Set.of(flags.toLowerCase(Locale.ROOT).trim().split("\\s+"));
        return f.contains("amx_bf16") || f.contains("avx512_bf16");
    }

    /**
     * What {@code training.precision} means here: bf16 trains in bf16, fp32 in float32, auto in bf16 exactly
     * when {@link #cpuSupports()}.
     */
    public static boolean resolve(String precision) {
        return "bf16".equals(precision) || "auto".equals(precision) && cpuSupports();
    }

    /** One line for the run's log: the precision and why. */
    public static String describe(String precision, boolean on) {
        String why = "auto".equals(precision)
                ? (on ? " (auto: this CPU computes bf16 natively)" : " (auto: this CPU has no AMX-BF16 or AVX512-BF16)")
                : "";
        return "precision: " + (on ? "bf16 mixed, float32 weights" : "fp32") + why;
    }

    /** Whether {@code x} holds bf16 (DJL 0.36 calls it UNKNOWN). */
    public static boolean is(NDArray x) {
        return x.getDataType() == DataType.UNKNOWN;
    }

    /** {@code x} in bf16 (channels-last when 4-D), in {@code x}'s manager; recorded by autograd. */
    public static NDArray toBf16(NDArray x) {
        return is(x) ? x : run(x);
    }

    /** {@code x} in float32, in {@code x}'s manager; recorded by autograd. */
    public static NDArray toFloat32(NDArray x) {
        return is(x) ? run(x) : x;
    }

    /**
     * A parameter store for one training forward: convolution and dense weights and biases are handed
     * out as bf16 copies owned by {@code scope}; BatchNorm's scale, shift and running statistics (updated in
     * place) are the float32 arrays themselves.
     */
    public static ParameterStore store(NDManager scope) {
        return new ParameterStore(scope, false) {
            @Override
            public NDArray getValue(Parameter parameter, Device device, boolean training) {
                NDArray a = super.getValue(parameter, device, training);
                if (a == null || !CAST.contains(parameter.getType()) || is(a)) {
                    return a;
                }
                NDArray c = run(a);
                c.attach(scope);
                return c;
            }
        };
    }

    private static NDArray run(NDArray x) {
        String name = x.getName(); // a named input would be passed to TorchScript as a dict entry
        x.setName(null);
        try {
            return IValueUtils.forward(module(), new NDList(x), true).singletonOrThrow();
        } finally {
            x.setName(name);
        }
    }

    private static synchronized PtSymbolBlock module() {
        if (module == null) {
            try (InputStream in = Bf16.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new TuneupException("the bf16 cast module " + RESOURCE + " is missing from tuneup's jar",
                            "rebuild tuneup (scripts/gen_bf16_cast.py writes it), or set training.precision: fp32");
                }
                // Lives as long as the process: one small module, shared by every training thread.
                PtNDManager manager = (PtNDManager) NDManager.newBaseManager();
                long handle = JniUtils.loadModuleHandle(new ByteArrayInputStream(in.readAllBytes()), manager.getDevice(),
                        true, false);
                module = new PtSymbolBlock(manager, handle);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return module;
    }

    private static final class Holder {
        static final boolean SUPPORTED = read();

        private static boolean read() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith("flags")) {
                        return supports(line.substring(line.indexOf(':') + 1));
                    }
                }
            } catch (IOException | RuntimeException e) {
                return false; // not Linux, or no /proc: assume no native bf16
            }
            return false;
        }
    }
}
