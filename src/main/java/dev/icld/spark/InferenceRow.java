package dev.icld.spark;

import java.io.Serializable;

/**
 * One audio file's answer under {@code icld infer --spark}: a row of {@code predictions.parquet}.
 * A file that cannot be read or run has its error and no answer, so one bad file does not stop
 * the job. A Java bean, as Spark's bean encoder wants.
 */
public class InferenceRow implements Serializable {
  private static final long serialVersionUID = 1L;

  private String file;
  private String policy;
  private String budget;
  private String executedLayers;
  private int layerCount;
  private String prediction;
  private Double confidence;
  private double gigaFlops;
  private double latencyMs;
  private String error;

  public String getFile() {
    return file;
  }

  public void setFile(String file) {
    this.file = file;
  }

  /** The policy that chose the layers (null with an error). */
  public String getPolicy() {
    return policy;
  }

  public void setPolicy(String policy) {
    this.policy = policy;
  }

  /** The budget as given on the command line. */
  public String getBudget() {
    return budget;
  }

  public void setBudget(String budget) {
    this.budget = budget;
  }

  /** The layers that ran, 0-based, comma-separated. */
  public String getExecutedLayers() {
    return executedLayers;
  }

  public void setExecutedLayers(String executedLayers) {
    this.executedLayers = executedLayers;
  }

  public int getLayerCount() {
    return layerCount;
  }

  public void setLayerCount(int layerCount) {
    this.layerCount = layerCount;
  }

  /** The label, or the transcript. */
  public String getPrediction() {
    return prediction;
  }

  public void setPrediction(String prediction) {
    this.prediction = prediction;
  }

  /** The label's probability (null for a transcript). */
  public Double getConfidence() {
    return confidence;
  }

  public void setConfidence(Double confidence) {
    this.confidence = confidence;
  }

  public double getGigaFlops() {
    return gigaFlops;
  }

  public void setGigaFlops(double gigaFlops) {
    this.gigaFlops = gigaFlops;
  }

  public double getLatencyMs() {
    return latencyMs;
  }

  public void setLatencyMs(double latencyMs) {
    this.latencyMs = latencyMs;
  }

  /** What went wrong with this file, or null. */
  public String getError() {
    return error;
  }

  public void setError(String error) {
    this.error = error;
  }
}
