package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

class DecodePoolTest {
    private static final Callable<byte[]> NO_MEMORY = () -> {
        throw new OutOfMemoryError("Java heap space");
    };

    @Tag("reliability")
    @Test
    void outOfMemoryWhileDecodingIsAPerFileErrorWhereverTheFileComes() throws IOException {
        byte[] png = Fixtures.png(Fixtures.rgb(4, 4, 0, 0, 0));
        for (boolean first : new boolean[] {true, false}) {
            try (DecodePool pool = new DecodePool(LoadOptions.defaults().withThreads(1).withBadFiles(BadFilePolicy.SKIP))) {
                if (first) {
                    pool.submit(Dataset.ALL, "a", "a/big.png", NO_MEMORY);
                }
                pool.submit(Dataset.ALL, "a", "a/ok.png", () -> png);
                if (!first) {
                    pool.submit(Dataset.ALL, "a", "a/big.png", NO_MEMORY);
                }
                Dataset d = pool.finish("x", "root");
                assertEquals(1, d.split(Dataset.ALL).size());
                assertEquals(1, d.skipped().size());
                SkippedFile s = d.skipped().get(0);
                assertEquals("a/big.png", s.source());
                assertTrue(s.reason().contains("out of memory"), s.reason());
            }
        }
    }
}
