package dev.tuneup.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** The decode budget's rules, without a server: never-fits, waiting, the small images' reserve, refunds. */
@Tag("reliability")
class DecodeBudgetTest {
    private static final long MB = 1 << 20;

    @Test
    void anImageLargerThanTheBudgetCanGiveIsA413AtOnce() {
        DecodeBudget b = new DecodeBudget(80 * MB); // 70 MB for one image, 10 MB kept for small ones
        assertEquals(70 * MB, b.largest());
        Problem p = assertThrows(Problem.class, () -> b.charge(71 * MB, "image 0 (9000x1 8-bit grey PNG)", 1000));
        assertEquals(413, p.status());
        assertTrue(p.getMessage().startsWith("image 0 (9000x1 8-bit grey PNG) needs about 71 MB"), p.getMessage());
        assertTrue(p.body().get("fix").toString().contains("--decode-budget-mb 82"), p.body().toString());
        assertEquals(0, b.inUse());
    }

    @Test
    void aBusyBudgetMakesLargeImagesWaitThenRefuses503AndRefundsOnce() throws Exception {
        DecodeBudget b = new DecodeBudget(80 * MB);
        DecodeBudget.Charge first = b.charge(50 * MB, "a", 0);
        assertNull(b.tryCharge(30 * MB, "b"), "50 + 30 MB is over the 70 MB that large images may hold");
        long t0 = System.nanoTime();
        Problem p = assertThrows(Problem.class, () -> b.charge(30 * MB, "b", 100));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(100), "it waited");
        assertEquals(503, p.status());
        assertEquals("1", p.headers().get("Retry-After"));
        assertTrue(p.getMessage().contains("stayed in use by other requests' images (50 MB) for 100 ms"), p.getMessage());
        CompletableFuture<DecodeBudget.Charge> waiting = CompletableFuture.supplyAsync(() -> b.charge(30 * MB, "c", 5000));
        Thread.sleep(50);
        first.close();
        first.close(); // a second close refunds nothing
        try (DecodeBudget.Charge c = waiting.get(5, TimeUnit.SECONDS)) {
            assertEquals(30 * MB, b.inUse());
        }
        assertEquals(0, b.inUse());
        assertEquals(50 * MB, b.peak());
    }

    @Test
    void smallImagesUseTheReserveWhileALargeOneWaits() throws Exception {
        DecodeBudget b = new DecodeBudget(80 * MB); // small: at most 2.5 MB
        DecodeBudget.Charge large = b.charge(70 * MB, "large", 0);
        CompletableFuture<DecodeBudget.Charge> next = CompletableFuture.supplyAsync(() -> b.charge(60 * MB, "next", 5000));
        Thread.sleep(50);
        DecodeBudget.Charge s1 = b.tryCharge(2 * MB, "small 1");
        DecodeBudget.Charge s2 = b.tryCharge(2 * MB, "small 2");
        assertNotNull(s1);
        assertNotNull(s2);
        assertNull(b.tryCharge(3 * MB, "medium"), "3 MB is not small, and large images have the 70 MB in use");
        large.close();
        s1.close();
        s2.close();
        next.get(5, TimeUnit.SECONDS).close();
        assertEquals(0, b.inUse());
    }
}
