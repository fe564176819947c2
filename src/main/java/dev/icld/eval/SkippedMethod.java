package dev.icld.eval;

/**
 * A method (at one budget, or at all when {@code budget} is null) that the model cannot run, and
 * why.
 */
public record SkippedMethod(String method, Integer budget, String reason) {}
