package dev.icld.runtime;

/**
 * The measured wall-clock time of one inference call, in milliseconds, per component: the front
 * end (resampling, the conv feature encoder and the feature projection), the layer selector
 * (with its log-mel input when it reads one), the transformer encoder (positional conv and the
 * executed layers) and the task head (including decoding). {@code total} is the whole call and
 * also covers the bookkeeping between components.
 */
public record Latency(double frontEndMs, double selectorMs, double layersMs, double headMs,
    double totalMs) {}
