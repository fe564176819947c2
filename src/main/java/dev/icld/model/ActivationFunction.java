package dev.icld.model;

import ai.djl.ndarray.NDArray;

/** The element-wise activations named by {@code hidden_act} / {@code feat_extract_activation}. */
enum ActivationFunction {
  GELU,
  RELU;

  static ActivationFunction named(String name) {
    return switch (name) {
      case "gelu" -> GELU;
      case "relu" -> RELU;
      default -> throw new IllegalArgumentException("unsupported activation \"" + name + "\"");
    };
  }

  NDArray apply(NDArray x) {
    return switch (this) {
      // DJL's PyTorch gelu is the exact erf form, as torch.nn.functional.gelu's default.
      case GELU -> ai.djl.nn.Activation.gelu(x);
      case RELU -> x.maximum(Scalar.of(x, 0));
    };
  }
}
