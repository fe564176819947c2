package dev.icld.audio.features;

/**
 * Options of torchaudio 0.13.1's {@code torchaudio.compliance.kaldi.fbank}: same names (camelCase),
 * same defaults, same meaning. Times are in milliseconds, frequencies in Hz.
 *
 * <p>Differences from torchaudio: there is no {@code channel} (input is already mono); dither noise
 * comes from {@link java.util.Random} seeded with {@code ditherSeed}, so it is reproducible but not
 * the same noise as torch's generator; {@code vtlnWarp} must be 1 (no VTLN warping), which makes
 * {@code vtlnLow} and {@code vtlnHigh} unused, as in torchaudio with the default warp. Every option
 * is checked here, so a bad combination fails when the options are built, not mid-signal.
 */
public record KaldiFbankOptions(
    double blackmanCoeff,
    double dither,
    long ditherSeed,
    double energyFloor,
    double frameLength,
    double frameShift,
    double highFreq,
    boolean htkCompat,
    double lowFreq,
    double minDuration,
    int numMelBins,
    double preemphasisCoefficient,
    boolean rawEnergy,
    boolean removeDcOffset,
    boolean roundToPowerOfTwo,
    double sampleFrequency,
    boolean snipEdges,
    boolean subtractMean,
    boolean useEnergy,
    boolean useLogFbank,
    boolean usePower,
    double vtlnHigh,
    double vtlnLow,
    double vtlnWarp,
    KaldiWindowType windowType) {

  public KaldiFbankOptions {
    if (windowType == null) {
      throw new IllegalArgumentException("windowType must not be null");
    }
    if (vtlnWarp != 1.0) {
      throw new IllegalArgumentException(
          "vtlnWarp=" + vtlnWarp + " is not supported: only 1.0 (no vocal tract length warping)");
    }
    if (dither < 0 || !Double.isFinite(dither)) {
      throw new IllegalArgumentException("dither must be a finite value >= 0, got " + dither);
    }
    if (energyFloor < 0) {
      throw new IllegalArgumentException("energyFloor must be >= 0 (0 means no floor), got " + energyFloor);
    }
    if (numMelBins <= 3) {
      throw new IllegalArgumentException("numMelBins must be at least 4, got " + numMelBins);
    }
    // The frame geometry and the mel range depend only on the options: check them now.
    KaldiFrameGeometry.of(sampleFrequency, frameLength, frameShift, roundToPowerOfTwo, preemphasisCoefficient);
    KaldiMelBanks.checkRange(lowFreq, highFreq, sampleFrequency);
  }

  /** torchaudio's defaults. */
  public static KaldiFbankOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these options. */
  public Builder toBuilder() {
    return new Builder()
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
        .subtractMean(subtractMean)
        .useEnergy(useEnergy)
        .useLogFbank(useLogFbank)
        .usePower(usePower)
        .vtlnHigh(vtlnHigh)
        .vtlnLow(vtlnLow)
        .vtlnWarp(vtlnWarp)
        .windowType(windowType);
  }

  /** Starts from torchaudio's defaults; set only what differs. */
  public static final class Builder {
    private double blackmanCoeff = 0.42;
    private double dither = 0.0;
    private long ditherSeed = 0L;
    private double energyFloor = 1.0;
    private double frameLength = 25.0;
    private double frameShift = 10.0;
    private double highFreq = 0.0;
    private boolean htkCompat = false;
    private double lowFreq = 20.0;
    private double minDuration = 0.0;
    private int numMelBins = 23;
    private double preemphasisCoefficient = 0.97;
    private boolean rawEnergy = true;
    private boolean removeDcOffset = true;
    private boolean roundToPowerOfTwo = true;
    private double sampleFrequency = 16000.0;
    private boolean snipEdges = true;
    private boolean subtractMean = false;
    private boolean useEnergy = false;
    private boolean useLogFbank = true;
    private boolean usePower = true;
    private double vtlnHigh = -500.0;
    private double vtlnLow = 100.0;
    private double vtlnWarp = 1.0;
    private KaldiWindowType windowType = KaldiWindowType.POVEY;

    private Builder() {}

    public Builder blackmanCoeff(double value) {
      blackmanCoeff = value;
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

    /** Upper edge of the mel bins; zero or negative means an offset below the Nyquist frequency. */
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

    public Builder useLogFbank(boolean value) {
      useLogFbank = value;
      return this;
    }

    public Builder usePower(boolean value) {
      usePower = value;
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

    public KaldiFbankOptions build() {
      return new KaldiFbankOptions(
          blackmanCoeff,
          dither,
          ditherSeed,
          energyFloor,
          frameLength,
          frameShift,
          highFreq,
          htkCompat,
          lowFreq,
          minDuration,
          numMelBins,
          preemphasisCoefficient,
          rawEnergy,
          removeDcOffset,
          roundToPowerOfTwo,
          sampleFrequency,
          snipEdges,
          subtractMean,
          useEnergy,
          useLogFbank,
          usePower,
          vtlnHigh,
          vtlnLow,
          vtlnWarp,
          windowType);
    }
  }
}
