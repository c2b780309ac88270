package dev.tuneup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tuneup model list} and {@code tuneup model fetch} through the real entry point; nothing reaches the internet. */
class ModelCommandTest {
    @TempDir
    Path dir;

    @Test
    void listShowsTheTableAndTheCache() throws Exception {
        Files.write(dir.resolve("resnet50.pt"), new byte[] {1});
        CliRun r = CliRun.run("model", "list", "--cache", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("cache: " + dir + "\n"), r.out());
        assertTrue(r.out().matches("(?s).*\\nresnet18 +no +fetch +ResNet-18.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\nresnet50 +yes +export script +ResNet-50.*"), r.out());
    }

    @Test
    void fetchOfflineFailsWithinASecondAndPrintsTheExport() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        CliRun r = CliRun.run("model", "fetch", "resnet18", "--cache", dir.toString(), "--mirror",
                "http://127.0.0.1:" + closed);
        double s = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(s < 1.5, "took " + s + " s");
        assertTrue(r.err().contains("this machine looks offline"), r.err());
        assertTrue(r.err().contains("fix: download http://127.0.0.1:" + closed + "/model/cv/image_classification/ai/djl/"
                + "pytorch/resnet18_embedding/0.0.1/resnet18_embedding.zip elsewhere (SHA-1 "), r.err());
        assertTrue(r.err().contains("m.fc = torch.nn.Identity(); torch.jit.script(m).save('" + dir.resolve("resnet18.pt")),
                r.err());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        CliRun r = CliRun.run("model", "fetch", "resnet19", "--cache", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("error: 'resnet19' is not a base tuneup knows"), r.err());
        assertTrue(r.err().contains("fix: use one of resnet18, resnet34, resnet50, mobilenet_v3_large, efficientnet_b0"),
                r.err());
    }
}
