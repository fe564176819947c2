package dev.icld.audio.features;

/**
 * Options of torchaudio 0.13.1's {@code torchaudio.transforms.MelSpectrogram}: same names
 * (camelCase), same defaults, same meaning. The window is always the periodic Hann window
 * ({@code torch.hann_window}, the default {@code window_fn}) and centring pads by reflection (the
 * default {@code pad_mode}). The builder resolves torchaudio's None defaults: winLength = nFft,
 * hopLength = winLength / 2, fMax = sampleRate / 2 (integer division).
 */
public record MelSpectrogramOptions(
    int sampleRate,
    int nFft,
    int winLength,
    int hopLength,
    double fMin,
    double fMax,
    int pad,
    int nMels,
    double power,
    boolean normalized,
    boolean center,
    boolean onesided,
    MelNorm norm,
    MelScaleType melScale) {

  public MelSpectrogramOptions {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
    }
    if (nFft < 2) {
      throw new IllegalArgumentException("nFft must be at least 2, got " + nFft);
    }
    if (winLength < 1 || winLength > nFft) {
      throw new IllegalArgumentException("winLength must be between 1 and nFft=" + nFft + ", got " + winLength);
    }
    if (hopLength < 1) {
      throw new IllegalArgumentException("hopLength must be positive, got " + hopLength);
    }
    if (pad < 0) {
      throw new IllegalArgumentException("pad must be >= 0, got " + pad);
    }
    if (!(power > 0) || !Double.isFinite(power)) {
      throw new IllegalArgumentException("power must be a finite value > 0 (1 magnitude, 2 power), got " + power);
    }
    if (!onesided) {
      throw new IllegalArgumentException(
          "onesided=false is not supported: torchaudio's MelSpectrogram then fails too, its filter bank"
              + " expects the nFft / 2 + 1 bins of a one-sided spectrum");
    }
    if (norm == null || melScale == null) {
      throw new IllegalArgumentException("norm and melScale must not be null (use MelNorm.NONE for no norm)");
    }
    if (fMin > fMax) {
      throw new IllegalArgumentException("fMin=" + fMin + " Hz must not exceed fMax=" + fMax + " Hz");
    }
  }

  /** torchaudio's defaults. */
  public static MelSpectrogramOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Number of frequency bins of the one-sided spectrum the filters apply to. */
  public int numFreqs() {
    return nFft / 2 + 1;
  }

  /** Starts from torchaudio's defaults; set only what differs. */
  public static final class Builder {
    private int sampleRate = 16000;
    private int nFft = 400;
    private Integer winLength;
    private Integer hopLength;
    private double fMin = 0.0;
    private Double fMax;
    private int pad = 0;
    private int nMels = 128;
    private double power = 2.0;
    private boolean normalized = false;
    private boolean center = true;
    private boolean onesided = true;
    private MelNorm norm = MelNorm.NONE;
    private MelScaleType melScale = MelScaleType.HTK;

    private Builder() {}

    public Builder sampleRate(int hz) {
      sampleRate = hz;
      return this;
    }

    public Builder nFft(int value) {
      nFft = value;
      return this;
    }

    /** Window length in samples; null (the default) means nFft. */
    public Builder winLength(Integer samples) {
      winLength = samples;
      return this;
    }

    /** Hop in samples; null (the default) means winLength / 2. */
    public Builder hopLength(Integer samples) {
      hopLength = samples;
      return this;
    }

    public Builder fMin(double hz) {
      fMin = hz;
      return this;
    }

    /** Upper edge of the filters; null (the default) means sampleRate / 2. */
    public Builder fMax(Double hz) {
      fMax = hz;
      return this;
    }

    /** Zeros added to both ends of the signal before centring. */
    public Builder pad(int samples) {
      pad = samples;
      return this;
    }

    public Builder nMels(int value) {
      nMels = value;
      return this;
    }

    public Builder power(double value) {
      power = value;
      return this;
    }

    /** Divide the STFT by the window's L2 norm. */
    public Builder normalized(boolean value) {
      normalized = value;
      return this;
    }

    public Builder center(boolean value) {
      center = value;
      return this;
    }

    public Builder onesided(boolean value) {
      onesided = value;
      return this;
    }

    public Builder norm(MelNorm value) {
      norm = value;
      return this;
    }

    public Builder melScale(MelScaleType value) {
      melScale = value;
      return this;
    }

    public MelSpectrogramOptions build() {
      int resolvedWinLength = winLength != null ? winLength : nFft;
      int resolvedHopLength = hopLength != null ? hopLength : resolvedWinLength / 2;
      double resolvedFMax = fMax != null ? fMax : (double) (sampleRate / 2);
      return new MelSpectrogramOptions(
          sampleRate,
          nFft,
          resolvedWinLength,
          resolvedHopLength,
          fMin,
          resolvedFMax,
          pad,
          nMels,
          power,
          normalized,
          center,
          onesided,
          norm,
          melScale);
    }
  }
}
