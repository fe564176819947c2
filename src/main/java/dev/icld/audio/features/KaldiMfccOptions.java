package dev.icld.audio.features;

/**
 * Options of torchaudio 0.13.1's {@code torchaudio.compliance.kaldi.mfcc}: same names (camelCase),
 * same defaults, same meaning; see {@link KaldiFbankOptions} for the shared ones and the few
 * differences from torchaudio. The filterbank under the MFCC is always the log power one, with no
 * mean subtraction: {@code subtractMean} applies to the cepstra.
 */
public record KaldiMfccOptions(
    double blackmanCoeff,
    double cepstralLifter,
    double dither,
    long ditherSeed,
    double energyFloor,
    double frameLength,
    double frameShift,
    double highFreq,
    boolean htkCompat,
    double lowFreq,
    double minDuration,
    int numCeps,
    int numMelBins,
    double preemphasisCoefficient,
    boolean rawEnergy,
    boolean removeDcOffset,
    boolean roundToPowerOfTwo,
    double sampleFrequency,
    boolean snipEdges,
    boolean subtractMean,
    boolean useEnergy,
    double vtlnHigh,
    double vtlnLow,
    double vtlnWarp,
    KaldiWindowType windowType) {

  public KaldiMfccOptions {
    if (numCeps < 1 || numCeps > numMelBins) {
      throw new IllegalArgumentException(
          "numCeps must be between 1 and numMelBins=" + numMelBins + ", got " + numCeps);
    }
    if (cepstralLifter < 0 || !Double.isFinite(cepstralLifter)) {
      throw new IllegalArgumentException("cepstralLifter must be a finite value >= 0, got " + cepstralLifter);
    }
  }

  /** torchaudio's defaults. */
  public static KaldiMfccOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The filterbank the cepstra are computed from. */
  KaldiFbankOptions toFbankOptions() {
    return KaldiFbankOptions.builder()
        .blackmanCoeff(blackmanCoeff)
        .dither(dither)
        .ditherSeed(ditherSeed)
        .energyFloor(energyFloor)
        .frameLength(frameLength)
        .frameShift(frameShift)
        .highFreq(highFreq)
        .htkCompat(htkCompat)
        .lowFreq(lowFreq)
        .minDuration(minDuration)
        .numMelBins(numMelBins)
        .preemphasisCoefficient(preemphasisCoefficient)
        .rawEnergy(rawEnergy)
        .removeDcOffset(removeDcOffset)
        .roundToPowerOfTwo(roundToPowerOfTwo)
        .sampleFrequency(sampleFrequency)
        .snipEdges(snipEdges)
        .useEnergy(useEnergy)
        .vtlnHigh(vtlnHigh)
        .vtlnLow(vtlnLow)
        .vtlnWarp(vtlnWarp)
        .windowType(windowType)
        .subtractMean(false)
        .useLogFbank(true)
        .usePower(true)
        .build();
  }

  /** A builder that starts from these options. */
  public Builder toBuilder() {
    return new Builder()
        .blackmanCoeff(blackmanCoeff)
        .cepstralLifter(cepstralLifter)
        .dither(dither)
        .ditherSeed(ditherSeed)
        .energyFloor(energyFloor)
        .frameLength(frameLength)
        .frameShift(frameShift)
        .highFreq(highFreq)
        .htkCompat(htkCompat)
        .lowFreq(lowFreq)
        .minDuration(minDuration)
        .numCeps(numCeps)
        .numMelBins(numMelBins)
        .preemphasisCoefficient(preemphasisCoefficient)
        .rawEnergy(rawEnergy)
        .removeDcOffset(removeDcOffset)
        .roundToPowerOfTwo(roundToPowerOfTwo)
        .sampleFrequency(sampleFrequency)
        .snipEdges(snipEdges)
        .subtractMean(subtractMean)
        .useEnergy(useEnergy)
        .vtlnHigh(vtlnHigh)
        .vtlnLow(vtlnLow)
        .vtlnWarp(vtlnWarp)
        .windowType(windowType);
  }

  /** Starts from torchaudio's defaults; set only what differs. */
  public static final class Builder {
    private double blackmanCoeff = 0.42;
    private double cepstralLifter = 22.0;
    private double dither = 0.0;
    private long ditherSeed = 0L;
    private double energyFloor = 1.0;
    private double frameLength = 25.0;
    private double frameShift = 10.0;
    private double highFreq = 0.0;
    private boolean htkCompat = false;
    private double lowFreq = 20.0;
    private double minDuration = 0.0;
    private int numCeps = 13;
    private int numMelBins = 23;
    private double preemphasisCoefficient = 0.97;
    private boolean rawEnergy = true;
    private boolean removeDcOffset = true;
    private boolean roundToPowerOfTwo = true;
    private double sampleFrequency = 16000.0;
    private boolean snipEdges = true;
    private boolean subtractMean = false;
    private boolean useEnergy = false;
    private double vtlnHigh = -500.0;
    private double vtlnLow = 100.0;
    private double vtlnWarp = 1.0;
    private KaldiWindowType windowType = KaldiWindowType.POVEY;

    private Builder() {}

    public Builder blackmanCoeff(double value) {
      blackmanCoeff = value;
      return this;
    }

    public Builder cepstralLifter(double value) {
      cepstralLifter = value;
      return this;
    }

    public Builder dither(double value) {
      dither = value;
      return this;
    }

    public Builder ditherSeed(long value) {
      ditherSeed = value;
      return this;
    }

    public Builder energyFloor(double value) {
      energyFloor = value;
      return this;
    }

    public Builder frameLength(double millis) {
      frameLength = millis;
      return this;
    }

    public Builder frameShift(double millis) {
      frameShift = millis;
      return this;
    }

    public Builder highFreq(double hz) {
      highFreq = hz;
      return this;
    }

    public Builder htkCompat(boolean value) {
      htkCompat = value;
      return this;
    }

    public Builder lowFreq(double hz) {
      lowFreq = hz;
      return this;
    }

    public Builder minDuration(double seconds) {
      minDuration = seconds;
      return this;
    }

    public Builder numCeps(int value) {
      numCeps = value;
      return this;
    }

    public Builder numMelBins(int value) {
      numMelBins = value;
      return this;
    }

    public Builder preemphasisCoefficient(double value) {
      preemphasisCoefficient = value;
      return this;
    }

    public Builder rawEnergy(boolean value) {
      rawEnergy = value;
      return this;
    }

    public Builder removeDcOffset(boolean value) {
      removeDcOffset = value;
      return this;
    }

    public Builder roundToPowerOfTwo(boolean value) {
      roundToPowerOfTwo = value;
      return this;
    }

    public Builder sampleFrequency(double hz) {
      sampleFrequency = hz;
      return this;
    }

    public Builder snipEdges(boolean value) {
      snipEdges = value;
      return this;
    }

    public Builder subtractMean(boolean value) {
      subtractMean = value;
      return this;
    }

    public Builder useEnergy(boolean value) {
      useEnergy = value;
      return this;
    }

    public Builder vtlnHigh(double hz) {
      vtlnHigh = hz;
      return this;
    }

    public Builder vtlnLow(double hz) {
      vtlnLow = hz;
      return this;
    }

    public Builder vtlnWarp(double value) {
      vtlnWarp = value;
      return this;
    }

    public Builder windowType(KaldiWindowType value) {
      windowType = value;
      return this;
    }

    /** The options, with every filterbank option checked as {@link KaldiFbankOptions} checks it. */
    public KaldiMfccOptions build() {
      KaldiMfccOptions options = new KaldiMfccOptions(
          blackmanCoeff,
          cepstralLifter,
          dither,
          ditherSeed,
          energyFloor,
          frameLength,
          frameShift,
          highFreq,
          htkCompat,
          lowFreq,
          minDuration,
          numCeps,
          numMelBins,
          preemphasisCoefficient,
          rawEnergy,
          removeDcOffset,
          roundToPowerOfTwo,
          sampleFrequency,
          snipEdges,
          subtractMean,
          useEnergy,
          vtlnHigh,
          vtlnLow,
          vtlnWarp,
          windowType);
      options.toFbankOptions();
      return options;
    }
  }
}
