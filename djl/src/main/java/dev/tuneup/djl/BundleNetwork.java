package dev.tuneup.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.tuneup.bundle.ModelBundle;

/** A loaded bundle's network as one DJL block, carrying the bundle's classes and preprocessing for the translator. */
public final class BundleNetwork extends AbstractBlock {
    private final ModelBundle.Loaded bundle;

    BundleNetwork(ModelBundle.Loaded bundle) {
        this.bundle = bundle;
        addChildBlock("network", bundle.model());
        inputShapes = new Shape[] {bundle.info().network().inputShape()};
    }

    public ModelBundle.Info info() {
        return bundle.info();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return bundle.model().forward(store, inputs, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return bundle.model().getOutputShapes(inputs);
    }
}
