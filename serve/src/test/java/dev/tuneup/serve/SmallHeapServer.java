package dev.tuneup.serve;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server in a JVM of its own (for {@link HostileInputTest}, run with a small {@code -Xmx}):
 * {@code SmallHeapServer <bundle> <jdbc-url> <port-file> <decode-budget-mb, 0 for the default>}.
 * It serves until its standard input closes, then prints the heap it used and stops.
 */
public final class SmallHeapServer {
    private SmallHeapServer() {
    }

    public static void main(String[] args) throws Exception {
        HeapWatch heap = new HeapWatch();
        ServeOptions o = ServeOptions.defaults().withPort(0).withDb(args[1]).withLimits(8L << 20, 40_000_000L, 1 << 20)
                .withDecodeBudget(Long.parseLong(args[3]) << 20);
        try (Server s = Server.start(Path.of(args[0]), o)) {
            Path port = Path.of(args[2]);
            Files.writeString(port.resolveSibling("port.tmp"), Integer.toString(s.port()));
            Files.move(port.resolveSibling("port.tmp"), port, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            while (System.in.read() >= 0) {
                // serve until the test closes our input
            }
            long peak = 0;
            for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.println("heap max " + Runtime.getRuntime().maxMemory() + " budget " + s.decodeBudgetBytes()
                    + " charged " + s.decodePeakBytes() + " after-gc " + heap.afterGcPeak() + " pool-peaks " + peak);
        }
    }
}
