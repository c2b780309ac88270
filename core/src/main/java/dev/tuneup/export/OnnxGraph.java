package dev.tuneup.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A graph being built: nodes in topological order and named initializers, each name used once. */
final class OnnxGraph {
    private final List<Proto> nodes = new ArrayList<>();
    private final List<Proto> initializers = new ArrayList<>();
    private int next;

    /** Adds {@code op} on {@code inputs} with one output, returning the output's name. */
    String op(String op, List<String> inputs, Proto... attrs) {
        String out = op.toLowerCase(java.util.Locale.ROOT) + "_" + next++;
        return op(op, inputs, out, attrs);
    }

    /** Adds {@code op} on {@code inputs} whose one output is called {@code out}. */
    String op(String op, List<String> inputs, String out, Proto... attrs) {
        nodes.add(Onnx.node(op, "n" + nodes.size() + "_" + op, inputs, List.of(out), Arrays.asList(attrs)));
        return out;
    }

    /** A float constant of shape {@code dims}, returning its name. */
    String constant(String hint, float[] data, long... dims) {
        String name = hint + "_" + next++;
        initializers.add(Onnx.tensor(name, data, dims));
        return name;
    }

    /** An int64 constant of shape {@code dims}, returning its name. */
    String constant(String hint, long[] data, long... dims) {
        String name = hint + "_" + next++;
        initializers.add(Onnx.tensor(name, data, dims));
        return name;
    }

    Proto toGraph(String name, List<Proto> inputs, List<Proto> outputs) {
        return Onnx.graph(name, nodes, initializers, inputs, outputs);
    }

    int nodeCount() {
        return nodes.size();
    }
}
