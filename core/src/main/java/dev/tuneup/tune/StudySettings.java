package dev.tuneup.tune;

import dev.tuneup.TuneupException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a study was started with, kept in its database so a resumed study is the same study: the
 * search space and resolved base config (as text), the objective, sampler, pruner, seed and
 * per-trial epochs. Resuming with any of them changed is refused, naming what changed.
 */
public record StudySettings(String space, String base, String metric, boolean maximize, String sampler, String pruner,
                            long seed, int epochs) {

    private Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("space", space);
        m.put("base", base);
        m.put("metric", metric);
        m.put("direction", maximize ? "max" : "min");
        m.put("sampler", sampler);
        m.put("pruner", pruner);
        m.put("seed", Long.toString(seed));
        m.put("epochs", Integer.toString(epochs));
        return m;
    }

    /** Records these settings in a new study, or checks that an existing study has the same ones. */
    public void bind(Study study) {
        Map<String, String> mine = asMap();
        if (study.meta("space") == null) {
            mine.forEach(study::setMeta);
            return;
        }
        for (Map.Entry<String, String> e : mine.entrySet()) {
            String stored = study.meta(e.getKey());
            if (!e.getValue().equals(stored)) {
                String what = e.getKey().equals("space") || e.getKey().equals("base")
                        ? "a different " + (e.getKey().equals("space") ? "search space" : "base config (after --set)")
                        : e.getKey() + " " + stored + ", not " + e.getValue();
                throw new TuneupException("study " + study.file() + " was started with " + what,
                        "resume it with the same --space, --config, --set, --sampler, --pruner, --seed and --epochs,"
                                + " or start a new study with another --study");
            }
        }
    }

    /** The settings stored in a study, or null when it has none (not a study). */
    public static StudySettings of(Study study) {
        if (study.meta("space") == null) {
            return null;
        }
        return new StudySettings(study.meta("space"), study.meta("base"), study.meta("metric"),
                "max".equals(study.meta("direction")), study.meta("sampler"), study.meta("pruner"),
                Long.parseLong(study.meta("seed")), Integer.parseInt(study.meta("epochs")));
    }
}
