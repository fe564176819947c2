package dev.icld.data.synth;

import java.nio.charset.StandardCharsets;

/**
 * 64-bit FNV-1a hashes and seed mixing. Unlike {@code String.hashCode} these are wide enough to
 * seed independent random streams, and they never change between Java versions.
 */
final class StableHash {
  private StableHash() {}

  static long of(String text) {
    long h = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** A seed for item {@code index} of stream {@code stream}, independent of every other item. */
  static long itemSeed(long seed, String stream, long index) {
    return mix(mix(seed ^ of(stream)) + index);
  }

  /** SplitMix64's finaliser: spreads nearby inputs over the whole 64-bit range. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
