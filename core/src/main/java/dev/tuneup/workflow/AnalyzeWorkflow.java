package dev.tuneup.workflow;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.data.ImageSet;
import dev.tuneup.evaluate.Evaluation;
import dev.tuneup.repair.ErrorAnalysis;
import dev.tuneup.report.Gallery;
import dev.tuneup.report.TileGrid;
import dev.tuneup.track.RunDir;
import dev.tuneup.track.RunKind;
import dev.tuneup.track.Lineage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/** {@code tuneup analyze}: top losses (with a picture), confused pairs, per-class error, weakest corruptions. */
public final class AnalyzeWorkflow {
    /**
     * What to analyse.
     *
     * @param eval an eval.json of this model (for the weakest corruptions), or null
     * @param top  top losses and pairs to keep
     */
    public record Request(Path model, String data, String split, Path eval, int top, List<Path> dataDirs) {
    }

    /** The analysis and, when an eval.json was given, the weakest corruptions by mean accuracy. */
    public record Result(ErrorAnalysis analysis, List<Map.Entry<String, Double>> weakestCorruptions, Path dir) {
    }

    private AnalyzeWorkflow() {
    }

    public static Result run(Request q, RunDir dir, Reporter reporter) throws IOException {
        return Tracked.run(dir, RunKind.ANALYZE, List.of(Lineage.to(Lineage.SOURCE, q.model())), () -> analyze(q, dir,
                reporter), r -> Tracked.Outcome.finished(r.analysis().topLosses().size() + " top losses"));
    }

    private static Result analyze(Request q, RunDir dir, Reporter reporter) throws IOException {
        Reporter o = reporter.logTo(dir);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelBundle.Loaded b = ModelBundle.load(q.model(), manager);
            ImageSet set = EvalWorkflow.split(b, q.data(), q.split(), q.dataDirs(), o);
            float[][] p = new Predictor(b, manager, 256).probabilities(set);
            Evaluation e = Evaluation.of(p, set.labels(), b.info().classes(), 15, 0, 0);
            ErrorAnalysis a = ErrorAnalysis.of(p, set.labels(), e, q.top());
            List<String> sources = IntStream.range(0, set.size()).mapToObj(set::source).toList();
            String text = String.format(Locale.ROOT, "%s on %s/%s: accuracy %.4f of %d images%n", q.model(), q.data(),
                    q.split(), e.accuracy(), e.n()) + a.text(b.info().classes(), sources);
            ObjectMapper json = dev.tuneup.JsonFiles.MAPPER;
            ObjectNode root = json.createObjectNode();
            root.put("model", q.model().toAbsolutePath().toString());
            root.put("data", q.data() + "/" + q.split());
            root.put("accuracy", e.accuracy());
            root.put("images", e.n());
            root.setAll((ObjectNode) json.valueToTree(a));
            List<Map.Entry<String, Double>> weakest = List.of();
            if (q.eval() != null) {
                weakest = weakest(json.readTree(q.eval().toFile()));
                StringBuilder sb = new StringBuilder("weakest corruptions (mean accuracy over severities)\n");
                weakest.forEach(en -> sb.append(String.format(Locale.ROOT, "  %-18s %.4f%n", en.getKey(), en.getValue())));
                text += sb;
                root.set("weakest_corruptions", json.valueToTree(weakest.stream()
                        .map(en -> Map.of("corruption", en.getKey(), "accuracy", en.getValue())).toList()));
            }
            reporter.block(text);
            dir.write("analysis.txt", text);
            dir.write("analysis.json", json.writeValueAsBytes(root));
            List<TileGrid.Tile> tiles = new ArrayList<>();
            List<Gallery.Item> items = new ArrayList<>();
            for (ErrorAnalysis.Loss l : a.topLosses()) {
                List<String> lines = List.of("true " + b.info().classes().get(l.truth()),
                        "pred " + b.info().classes().get(l.predicted()), String.format(Locale.ROOT, "p %.2f loss %.2f",
                                l.confidence(), l.loss()));
                tiles.add(new TileGrid.Tile(set.image(l.index()), TileGrid.id(set.source(l.index()), l.index()), lines));
                items.add(new Gallery.Item(set.image(l.index()), set.source(l.index()), l.index(), lines));
            }
            if (!tiles.isEmpty()) {
                TileGrid.write(dir.path().resolve("top-losses.png"), "Top losses", tiles, 10, 64);
                Gallery.write(dir.path().resolve("top-losses.json"), items);
            }
            o.line("analysis.json, analysis.txt, top-losses.png, top-losses.json -> " + dir.path());
            return new Result(a, weakest, dir.path());
        }
    }

    /** The five corruptions of an eval.json with the lowest accuracy averaged over severities. */
    private static List<Map.Entry<String, Double>> weakest(JsonNode eval) {
        Map<String, double[]> sum = new LinkedHashMap<>();
        for (JsonNode c : eval.path("corruptions")) {
            double[] s = sum.computeIfAbsent(c.path("corruption").asText(), k -> new double[2]);
            s[0] += c.path("accuracy").asDouble();
            s[1]++;
        }
        return sum.entrySet().stream().map(en -> Map.entry(en.getKey(), en.getValue()[0] / en.getValue()[1]))
                .sorted(Map.Entry.comparingByValue()).limit(5).toList();
    }
}
