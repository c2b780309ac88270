package dev.tuneup.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneup.bundle.ModelBundle;
import dev.tuneup.bundle.Predictor;
import dev.tuneup.data.ImageSet;
import dev.tuneup.evaluate.Evaluation;
import dev.tuneup.report.TileGrid;
import dev.tuneup.repair.ErrorAnalysis;
import dev.tuneup.track.RunDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuneup analyze}: what a bundle gets wrong on a labelled split, and why. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Top losses (with a picture), most confused class pairs, error rate per class and, from an"
                + " eval.json, the weakest corruptions; into analysis.json and the terminal (docs/repair.md).")
public final class AnalyzeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "BUNDLE", description = "The model bundle folder.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DATASET", description = "Data set name or path.")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "Split to analyse (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--eval", paramLabel = "EVAL_JSON", description = "An eval.json of this model, for corruptions.")
    Path eval;

    @Option(names = "--top", defaultValue = "30", description = "Top losses and pairs to keep (default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--out", defaultValue = "runs", description = "Folder for the analysis folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Extra folders to search for named data sets.")
    List<Path> dataDirs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        RunDir dir = RunDir.create(out, "analyze");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelBundle.Loaded b = ModelBundle.load(model, manager);
            ImageSet set = EvalCommand.split(b, data, split, dataDirs, dir, o);
            float[][] p = new Predictor(b, manager, 256).probabilities(set);
            Evaluation e = Evaluation.of(p, set.labels(), b.info().classes(), 15, 0, 0);
            ErrorAnalysis a = ErrorAnalysis.of(p, set.labels(), e, top);
            List<String> sources = IntStream.range(0, set.size()).mapToObj(set::source).toList();
            String text = String.format(Locale.ROOT, "%s on %s/%s: accuracy %.4f of %d images%n", model, data, split,
                    e.accuracy(), e.n()) + a.text(b.info().classes(), sources);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = json.valueToTree(a);
            if (eval != null) {
                Map<String, double[]> sum = new LinkedHashMap<>();
                for (JsonNode c : json.readTree(eval.toFile()).path("corruptions")) {
                    double[] s = sum.computeIfAbsent(c.path("corruption").asText(), k -> new double[2]);
                    s[0] += c.path("accuracy").asDouble();
                    s[1]++;
                }
                List<Map.Entry<String, Double>> weakest = sum.entrySet().stream()
                        .map(en -> Map.entry(en.getKey(), en.getValue()[0] / en.getValue()[1]))
                        .sorted(Map.Entry.comparingByValue()).limit(5).toList();
                StringBuilder sb = new StringBuilder("weakest corruptions (mean accuracy over severities)\n");
                weakest.forEach(en -> sb.append(String.format(Locale.ROOT, "  %-18s %.4f%n", en.getKey(), en.getValue())));
                text += sb;
                root.set("weakest_corruptions", json.valueToTree(weakest.stream()
                        .map(en -> Map.of("corruption", en.getKey(), "accuracy", en.getValue())).toList()));
            }
            o.print(text);
            dir.write("analysis.txt", text);
            dir.write("analysis.json", json.writeValueAsBytes(root));
            List<TileGrid.Tile> tiles = new ArrayList<>();
            for (ErrorAnalysis.Loss l : a.topLosses()) {
                tiles.add(new TileGrid.Tile(set.image(l.index()), List.of("true " + b.info().classes().get(l.truth()),
                        "pred " + b.info().classes().get(l.predicted()), String.format(Locale.ROOT, "p %.2f loss %.2f",
                                l.confidence(), l.loss()))));
            }
            if (!tiles.isEmpty()) {
                TileGrid.write(dir.path().resolve("top-losses.png"), "Top losses", tiles, 10, 64);
            }
            TrainRunner.say(o, dir, "analysis.json, analysis.txt, top-losses.png -> " + dir.path());
        }
        return 0;
    }
}
