package dev.tuneup.spark;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch keeps autograd's on/off switch per thread, and DJL turns it off only on the thread that loads
 * the engine. Spark runs tasks on its own threads, where it starts on: a forward pass would record a graph
 * it never uses, and an optimizer's in-place update of a weight fails ("a leaf Variable that requires grad
 * is being used in an in-place operation"). Each task turns it off on its thread first, as the CLI's
 * main thread has it (training turns it on only inside its gradient collector).
 */
final class TaskThreads {
    private TaskThreads() {
    }

    static void noGrad() {
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
    }
}
