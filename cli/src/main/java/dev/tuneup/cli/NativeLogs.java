package dev.tuneup.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps libtorch's warnings that a user cannot act on off stderr: "Could not initialize NNPACK! Reason:
 * Unsupported hardware" (on every served request, on CPUs NNPACK does not support) and deprecation notices of
 * libtorch's own internals. libtorch's log level comes from {@code TORCH_CPP_LOG_LEVEL}, but only when
 * {@code c10::initLogging()} runs, which PyTorch's Python module does and DJL does not. So this sets the variable
 * to ERROR unless the user set it (e.g. {@code TORCH_CPP_LOG_LEVEL=WARNING} shows them again), loads the engine
 * and calls {@code c10::initLogging()} in libc10.
 */
final class NativeLogs {
    static final String VARIABLE = "TORCH_CPP_LOG_LEVEL";

    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private NativeLogs() {
    }

    /**
     * Applies the level; returns what happened, for {@code --stacktrace} users and tests. Failing to quieten
     * the engine changes nothing else, so it is reported, never thrown.
     */
    static String apply() {
        try {
            if (System.getenv(VARIABLE) == null) {
                Native.load("c", LibC.class).setenv(VARIABLE, "ERROR", 0);
            }
            Engine.getEngine("PyTorch");
            Path c10 = Path.of(LibUtils.getLibtorchPath()).resolve("libc10.so");
            if (!Files.isRegularFile(c10)) {
                return "libtorch log level left as it is: no " + c10;
            }
            NativeLibrary.getInstance(c10.toString()).getFunction("_ZN3c1011initLoggingEv").invokeVoid(new Object[0]);
            return "libtorch log level from " + VARIABLE;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "libtorch log level left as it is: " + e;
        }
    }
}
