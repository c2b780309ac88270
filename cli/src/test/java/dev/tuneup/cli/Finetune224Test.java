package dev.tuneup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the CLI: a ResNet-18 base exported by scripts/export_torchvision_base.py (random
 * weights, 224 px, centre crop 0.875 in its tuneup.json) fine-tuned on 210 real CIFAR-10 images of 32 px
 * with {@code data.size: 224} and an MLP head. The base is wrapped (in Python) in a probe that records the shape of the
 * last eval-mode batch in a buffer; the bundle's backbone.pt then shows that the last validation pass
 * (temperature fitting on the validation split, right before the bundle is written) ran at 224x224.
 * {@code tuneup eval} on the bundle then scores the test split as the run did. Skipped without python3 torch + torchvision or the shared CIFAR-10 archive.
 */
class Finetune224Test {
    private static final String PROBE = String.join("\n",
            "import json, sys, torch",
            "extra = {'tuneup.json': ''}",
            "inner = torch.jit.load(sys.argv[1], _extra_files=extra)",
            "class Probe(torch.nn.Module):",
            "    def __init__(self, inner):",
            "        super().__init__()",
            "        self.inner = inner",
            "        self.register_buffer('seen', torch.zeros(4, dtype=torch.long))",
            "    def forward(self, x):",
            "        return self.forward_features(x)",
            "    @torch.jit.export",
            "    def forward_features(self, x):",
            "        if not self.training:",
            "            for i in range(4):",
            "                self.seen[i] = x.shape[i]",
            "        return self.inner.forward_features(x)",
            "torch.jit.save(torch.jit.script(Probe(inner)), sys.argv[2], _extra_files=extra)",
            "");
    private static final String SEEN = "import sys, torch; print(torch.jit.load(sys.argv[1]).seen.tolist())";

    @TempDir
    Path dir;

    @Test
    void aResNet18BaseFineTunesAt224AndValidatesAt224() throws Exception {
        String python = python();
        assumeTrue(python != null, "python3 with torch and torchvision (Debian python3-torch python3-torchvision) not found");
        Path tar = Path.of(System.getProperty("tuneup.sharedData", "../../shared/data")).resolve("cifar10-jpg.tar.gz");
        assumeTrue(Files.isRegularFile(tar), "CIFAR-10 archive not found at " + tar);
        Path data = cifar(tar, dir.resolve("cifar"), List.of("airplane", "automobile", "bird"), 60, 10);
        Path plain = dir.resolve("resnet18.pt");
        py(python, List.of(script().toString(), "resnet18", "--weights", "none", "--output", plain.toString()));
        Path base = dir.resolve("resnet18-probe.pt");
        Path probe = Files.writeString(dir.resolve("probe.py"), PROBE);
        py(python, List.of(probe.toString(), plain.toString(), base.toString()));

        CliRun r = CliRun.run("--quiet", "finetune", "--base", base.toString(), "--data", data.toString(),
                "--recipe", "linear_probe", "--set", "data.size=224", "--set", "data.val_fraction=0.15",
                "--set", "finetune.lr=0.01", "--set", "training.epochs=1", "--set", "training.batch_size=32",
                "--set", "training.workers=1", "--set", "finetune.head=mlp", "--set", "finetune.head_hidden=[32]",
                "--set", "output.dir=" + dir.resolve("runs"));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("model input 224 (centre crop, crop fraction 0.875)"), r.out());
        Path bundle;
        try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
            bundle = runs.filter(Files::isDirectory).findFirst().orElseThrow().resolve("bundle");
        }
        JsonNode net = new ObjectMapper().readTree(bundle.resolve("model.json").toFile());
        assertEquals("[32]", net.findValue("hidden").toString(), net.toString());
        JsonNode pre = new ObjectMapper().readTree(bundle.resolve("preprocessing.json").toFile());
        assertEquals(224, pre.get("height").asInt(), pre.toString());
        assertEquals(224, pre.get("width").asInt(), pre.toString());
        assertEquals("center-crop", pre.get("resize").asText(), pre.toString());
        assertEquals(0.875, pre.get("crop_fraction").asDouble(), 1e-9, pre.toString());
        // ImageNet statistics from the export's tuneup.json, not CIFAR's
        assertEquals(0.485, pre.get("mean").get(0).asDouble(), 1e-6, pre.toString());
        String seen = py(python, List.of("-c", SEEN, bundle.resolve("backbone.pt").toString())).strip();
        assertTrue(seen.matches("\\[\\d+, 3, 224, 224\\]"), "last validation batch " + seen);

        // tuneup eval on the reloaded bundle sees the test split exactly as the run's own test pass did
        CliRun ev = CliRun.run("--quiet", "eval", "--model", bundle.toString(), "--data", data.toString(), "--bootstrap",
                "0", "--out", dir.resolve("evals").toString());
        assertEquals(0, ev.code(), ev.out() + ev.err());
        assertEquals(number(r.out(), "test: loss [0-9.]+, accuracy ([0-9.]+)"), number(ev.out(), "\\n  accuracy +([0-9.]+)"),
                r.out() + ev.out());
    }

    private static String number(String text, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in " + text);
        return m.group(1);
    }

    private static Path script() {
        Path s = Path.of("..", "scripts", "export_torchvision_base.py");
        return Files.isRegularFile(s) ? s : Path.of("scripts", "export_torchvision_base.py");
    }

    private static String python() throws InterruptedException {
        for (String p : List.of("/usr/bin/python3", "python3")) {
            try {
                Process proc = new ProcessBuilder(p, "-c", "import torch, torchvision").redirectErrorStream(true).start();
                if (proc.waitFor(120, TimeUnit.SECONDS) && proc.exitValue() == 0) {
                    return p;
                }
            } catch (IOException e) {
                // not installed here; try the next
            }
        }
        return null;
    }

    private static String py(String python, List<String> args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(python));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return out;
    }

    /** The first {@code train}/{@code test} JPEGs of each class from the shared archive, as an ImageFolder. */
    static Path cifar(Path tar, Path root, List<String> classes, int train, int test) throws IOException {
        Map<String, Integer> taken = new HashMap<>();
        int want = classes.size() * (train + test);
        int got = 0;
        try (InputStream raw = Files.newInputStream(tar);
             TarArchiveInputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            TarArchiveEntry e;
            while (got < want && (e = in.getNextEntry()) != null) {
                String[] parts = e.getName().split("/");
                if (e.isDirectory() || parts.length != 4 || !classes.contains(parts[2])) {
                    continue;
                }
                String key = parts[1] + "/" + parts[2];
                int limit = parts[1].equals("train") ? train : test;
                if (taken.getOrDefault(key, 0) >= limit) {
                    continue;
                }
                taken.merge(key, 1, Integer::sum);
                Path out = root.resolve(parts[1]).resolve(parts[2]).resolve(parts[3]);
                Files.createDirectories(out.getParent());
                Files.write(out, in.readAllBytes());
                got++;
            }
        }
        return root;
    }
}
