package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that stops sending mid-file without closing: the download gives up instead of hanging. */
class DownloadTest {
    @TempDir
    Path dir;

    @Test
    void aStalledConnectionFailsAndKeepsThePartForResuming() throws Exception {
        byte[] body = new byte[50_000];
        CountDownLatch done = new CountDownLatch(1);
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket sock = raw.accept(); OutputStream o = sock.getOutputStream()) {
                    sock.getInputStream().read(new byte[4096]);
                    o.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes());
                    o.write(body, 0, 20_000);
                    o.flush();
                    done.await(); // then silence, the connection still open
                } catch (Exception ignored) {
                    // the test judges what the client saw
                }
            });
            t.start();
            long t0 = System.nanoTime();
            Download.Failure f = assertThrows(Download.Failure.class, () -> new Download(Download.client(),
                    Duration.ofMillis(500)).to("http://127.0.0.1:" + raw.getLocalPort() + "/f.bin",
                    Download.Checksum.sha256("00".repeat(32)), body.length, dir.resolve("f.bin"), new Quiet()));
            double s = (System.nanoTime() - t0) / 1e9;
            done.countDown();
            t.join(5000);
            assertEquals(Download.Problem.IO, f.problem(), f.getMessage());
            assertTrue(f.getMessage().contains("stalled"), f.getMessage());
            assertTrue(s < 5, "gave up after " + s + " s");
            assertEquals(20_000, Files.size(dir.resolve("f.bin.part")));
        }
    }

    private static final class Quiet implements DataFetch.Progress {
        @Override
        public void start(String file, long totalBytes) {
        }

        @Override
        public void advance(long bytes) {
        }

        @Override
        public void finish() {
        }
    }
}
