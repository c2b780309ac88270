package dev.tuneup.finetune;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.tuneup.model.MlpHead;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A model's trainable parameters grouped into layers in forward order: a layer is a top-level block
 * of the model, or for a TorchScript backbone one of its top-level modules. The last layer is the
 * head. Recipes freeze, unfreeze and scale learning rates by layer or by groups of layers.
 */
public final class Layers {
    private final List<String> keys;
    private final Map<String, String> layerOf;
    private final Map<String, Long> sizes;

    private Layers(List<String> keys, Map<String, String> layerOf, Map<String, Long> sizes) {
        this.keys = List.copyOf(keys);
        this.layerOf = layerOf;
        this.sizes = sizes;
    }

    public static Layers of(Block model) {
        List<String> names = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            if (p.getValue().requiresGradient()) {
                names.add(p.getKey());
            }
        }
        int depth = 1;
        Map<String, String> layerOf = keyed(names, depth);
        if (new LinkedHashSet<>(layerOf.values()).size() <= 3) {
            layerOf = keyed(names, 2); // one block holds nearly everything (a TorchScript backbone): look inside
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            String k = layerOf.get(p.getKey());
            if (k != null) {
                sizes.merge(k, p.getValue().getArray().size(), Long::sum);
            }
        }
        return new Layers(new ArrayList<>(new LinkedHashSet<>(layerOf.values())), layerOf, sizes);
    }

    /**
     * A parameter's layer key: its top-level block ("03Conv2d"); inside a TorchScript block the
     * dotted module path adds {@code depth - 1} more levels ("01TorchScriptBackbone_layer1"); an MLP head
     * stays one layer.
     */
    private static Map<String, String> keyed(List<String> names, int depth) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            int us = n.indexOf('_');
            String top = us < 0 ? n : n.substring(0, us);
            String key = top;
            if (depth > 1 && us >= 0 && !top.endsWith(MlpHead.class.getSimpleName())) { // a head is one layer
                String rest = n.substring(us + 1);
                String[] parts = rest.split("\\.");
                if (parts.length > 1) {
                    key = top + "_" + parts[0];
                } else if (rest.contains("_")) {
                    key = top + "_" + rest.substring(0, rest.indexOf('_'));
                }
            }
            out.put(n, key);
        }
        return out;
    }

    /** Layer keys, input side first; the last is the head. */
    public List<String> keys() {
        return keys;
    }

    public String head() {
        return keys.get(keys.size() - 1);
    }

    public boolean isHead(String param) {
        return head().equals(layerOf.get(param));
    }

    /** 0 for the head, 1 for the layer below it, and so on; -1 for a name that is not a trainable parameter. */
    public int depthFromHead(String param) {
        String k = layerOf.get(param);
        return k == null ? -1 : keys.size() - 1 - keys.indexOf(k);
    }

    /**
     * {@code n} groups, input side first: the backbone's layers cut into {@code n - 1} runs of
     * about equal parameter count, then the head alone.
     */
    public List<List<String>> groups(int n) {
        List<String> body = keys.subList(0, keys.size() - 1);
        int parts = Math.max(1, Math.min(n - 1, body.size()));
        long total = body.stream().mapToLong(sizes::get).sum();
        List<List<String>> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        long acc = 0;
        for (int i = 0; i < body.size(); i++) {
            cur.add(body.get(i));
            acc += sizes.get(body.get(i));
            int left = body.size() - i - 1;
            int groupsLeft = parts - out.size() - 1;
            if (groupsLeft > 0 && (acc >= total * (out.size() + 1) / parts || left == groupsLeft)) {
                out.add(cur);
                cur = new ArrayList<>();
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        out.add(List.of(head()));
        return out;
    }

    /** Which of {@link #groups(int)} a parameter is in (-1 when none). */
    public int groupOf(String param, List<List<String>> groups) {
        String k = layerOf.get(param);
        for (int g = 0; g < groups.size(); g++) {
            if (groups.get(g).contains(k)) {
                return g;
            }
        }
        return -1;
    }

    public long size(String layer) {
        return sizes.get(layer);
    }

    @Override
    public String toString() {
        return keys.size() + " layers (head " + head() + ", " + sizes.get(head()) + " parameters)";
    }
}
