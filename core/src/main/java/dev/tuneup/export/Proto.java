package dev.tuneup.export;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One protobuf message being encoded: fields are appended in call order, nested messages as their
 * encoded bytes. Repeated scalars are written unpacked, as proto2 (ONNX's syntax) does by default.
 */
final class Proto {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    Proto int64(int field, long v) {
        try {
            out.writeInt64(field, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Proto int32(int field, int v) {
        try {
            out.writeInt32(field, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Proto float32(int field, float v) {
        try {
            out.writeFloat(field, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A string field; null writes nothing. */
    Proto string(int field, String v) {
        if (v == null) {
            return this;
        }
        try {
            out.writeString(field, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A bytes field, or a nested message given as its encoding. */
    Proto bytes(int field, byte[] v) {
        try {
            out.writeByteArray(field, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Proto message(int field, Proto m) {
        return bytes(field, m.toByteArray());
    }

    byte[] toByteArray() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
