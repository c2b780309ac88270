package dev.tuneup.track;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A separate process for {@link RunStoreTest}: registers {@code n} finished runs named {@code prefix-i} under a root. */
public final class StoreWriter {
    private StoreWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            RunStoreTest.register(root, args[1] + "-" + i);
        }
    }
}
