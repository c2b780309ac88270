package dev.tuneup.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.DoubleSupplier;

/** The server's Prometheus metrics, in a registry of its own (so two servers in one JVM do not mix). */
final class ServeMetrics {
    final PrometheusRegistry registry = new PrometheusRegistry();
    final Counter requests = Counter.builder().name("tuneup_requests_total").help("HTTP requests by endpoint and status")
            .labelNames("endpoint", "status").register(registry);
    final Histogram latency = Histogram.builder().name("tuneup_request_duration_seconds")
            .help("request latency by endpoint and status").labelNames("endpoint", "status").classicOnly()
            .classicUpperBounds(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10).register(registry);
    final Histogram batchSize = Histogram.builder().name("tuneup_batch_size").help("images per forward pass")
            .classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024).register(registry);
    final Counter rejections = Counter.builder().name("tuneup_rejections_total")
            .help("refused requests by reason (queue_full, deadline, too_large, bad_image, unsupported_type, bad_request)")
            .labelNames("reason").register(registry);
    final Counter predictions = Counter.builder().name("tuneup_predictions_total").help("answered images by top class")
            .labelNames("class").register(registry);
    final Histogram confidence = Histogram.builder().name("tuneup_confidence").help("top-class probability of answers")
            .classicOnly().classicUpperBounds(.1, .2, .3, .4, .5, .6, .7, .8, .9, .95, .99, 1).register(registry);
    final Counter feedback = Counter.builder().name("tuneup_feedback_total").help("stored corrections")
            .register(registry);

    /** Registers a gauge read at each scrape. */
    void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    /** The Prometheus text exposition. */
    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
