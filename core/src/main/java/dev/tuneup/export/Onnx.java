package dev.tuneup.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * The ONNX messages tuneup writes, by their field numbers in onnx.proto (IR version 8, opset 17):
 * ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto (with TypeProto and
 * TensorShapeProto), OperatorSetIdProto and StringStringEntryProto.
 */
final class Onnx {
    static final long IR_VERSION = 8;
    static final long OPSET = 17;
    static final int FLOAT = 1; // TensorProto.DataType
    static final int INT64 = 7;
    private static final int ATTR_FLOAT = 1; // AttributeProto.AttributeType
    private static final int ATTR_INT = 2;
    private static final int ATTR_INTS = 7;

    private Onnx() {
    }

    /** A float tensor initializer, little-endian raw data. */
    static Proto tensor(String name, float[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return tensor(name, FLOAT, b.array(), dims);
    }

    /** An int64 tensor initializer (shapes for Reshape). */
    static Proto tensor(String name, long[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        return tensor(name, INT64, b.array(), dims);
    }

    private static Proto tensor(String name, int type, byte[] raw, long... dims) {
        Proto t = new Proto();
        for (long d : dims) {
            t.int64(1, d);
        }
        return t.int32(2, type).string(8, name).bytes(9, raw);
    }

    static Proto attr(String name, float v) {
        return new Proto().string(1, name).float32(2, v).int32(20, ATTR_FLOAT);
    }

    static Proto attr(String name, long v) {
        return new Proto().string(1, name).int64(3, v).int32(20, ATTR_INT);
    }

    static Proto attr(String name, long[] v) {
        Proto a = new Proto().string(1, name);
        for (long x : v) {
            a.int64(8, x);
        }
        return a.int32(20, ATTR_INTS);
    }

    static Proto node(String op, String name, List<String> inputs, List<String> outputs, List<Proto> attrs) {
        Proto n = new Proto();
        inputs.forEach(i -> n.string(1, i));
        outputs.forEach(o -> n.string(2, o));
        n.string(3, name).string(4, op);
        attrs.forEach(a -> n.message(5, a));
        return n;
    }

    /**
     * A float tensor's name and shape; a dimension that is a String is symbolic (e.g. the batch),
     * a Number a fixed size.
     */
    static Proto valueInfo(String name, Object... dims) {
        Proto shape = new Proto();
        for (Object d : dims) {
            Proto dim = d instanceof Number n ? new Proto().int64(1, n.longValue()) : new Proto().string(2, (String) d);
            shape.message(1, dim);
        }
        Proto tensorType = new Proto().int32(1, FLOAT).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    static Proto graph(String name, List<Proto> nodes, List<Proto> initializers, List<Proto> inputs,
                       List<Proto> outputs) {
        Proto g = new Proto();
        nodes.forEach(n -> g.message(1, n));
        g.string(2, name);
        initializers.forEach(t -> g.message(5, t));
        inputs.forEach(i -> g.message(11, i));
        outputs.forEach(o -> g.message(12, o));
        return g;
    }

    /** The model: IR version, producer, the default-domain opset, the graph and the metadata entries in order. */
    static byte[] model(Proto graph, String producerVersion, String doc, Map<String, String> metadata) {
        Proto m = new Proto().int64(1, IR_VERSION).string(2, "tuneup").string(3, producerVersion).string(6, doc)
                .message(7, graph).message(8, new Proto().string(1, "").int64(2, OPSET));
        metadata.forEach((k, v) -> m.message(14, new Proto().string(1, k).string(2, v)));
        return m.toByteArray();
    }
}
