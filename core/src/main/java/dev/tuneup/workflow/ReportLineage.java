package dev.tuneup.workflow;

import dev.tuneup.report.ReportPage.Link;
import dev.tuneup.track.Lineage;
import dev.tuneup.track.RunReader;
import dev.tuneup.track.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A report's lineage chain from the run store's records ({@link RunRecord}, read from each folder's
 * run.json): followed back through {@code base} and {@code source} edges to a run that names none,
 * oldest first, then what the run produced ({@code accepted}, {@code rejected}, {@code serves}). A
 * folder written before run.json existed falls back to what its own files record
 * ({@link dev.tuneup.report.Lineage}).
 */
final class ReportLineage {
    private static final int MAX_DEPTH = 16;
    private static final Path ROOT = Path.of("/");

    private ReportLineage() {
    }

    static List<Link> of(Path dir) {
        if (!Files.isRegularFile(dir.resolve("run.json"))) {
            return dev.tuneup.report.Lineage.of(dir);
        }
        List<Link> chain = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        RunRecord start = RunRecord.read(ROOT, dir);
        Path at = start.dir();
        while (at != null && seen.add(at) && chain.size() < MAX_DEPTH) {
            if (!RunReader.isRun(at)) {
                chain.add(0, new Link("bundle", at.getFileName().toString(), at.toString()));
                break;
            }
            RunRecord r = RunRecord.read(ROOT, at);
            chain.add(0, new Link(r.kind().id(), r.name(), r.dir() + " (" + r.status().name().toLowerCase(Locale.ROOT)
                    + (r.detail().isEmpty() ? "" : ": " + r.detail()) + ")"));
            at = r.lineage().stream().filter(l -> l.relation().equals(Lineage.BASE) || l.relation().equals(Lineage.SOURCE))
                    .map(l -> runOf(Path.of(l.path()))).findFirst().orElse(null);
        }
        for (Lineage l : start.lineage()) {
            if (l.relation().equals(Lineage.ACCEPTED) || l.relation().equals(Lineage.REJECTED)
                    || l.relation().equals(Lineage.SERVES)) {
                Path p = Path.of(l.path());
                chain.add(new Link(l.relation(), p.getParent() == null ? p.toString() : p.getParent().getFileName() + "/"
                        + p.getFileName(), l.path()));
            }
        }
        return chain;
    }

    /** The run folder that holds {@code path} (a run's bundle stands for its run), or the path itself. */
    private static Path runOf(Path path) {
        Path p = path.toAbsolutePath().normalize();
        for (Path q = p; q != null && q.getParent() != null; q = q.getParent()) {
            if (RunReader.isRun(q)) {
                return q;
            }
        }
        return p;
    }
}
