package dev.icld.fuzz;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The inputs of a campaign, numbered: inputs {@code 0..seeds-1} are the seeds themselves, the
 * others mutations of a seed chosen, like the mutations, by the campaign seed and the input's
 * number alone. Any input can so be made again from two numbers, by another JVM too.
 */
final class MutatedInputs {
  private final List<byte[]> seeds;
  private final Mutator mutator;

  MutatedInputs(FuzzTarget target, List<FuzzCorpus.Input> seeds) {
    this.seeds = seeds.stream().map(FuzzCorpus.Input::bytes).toList();
    this.mutator = new Mutator(target.headerOffsets());
  }

  byte[] get(long campaignSeed, long index) {
    if (index < seeds.size()) {
      return seeds.get((int) index);
    }
    SplittableRandom random = new SplittableRandom(Long.rotateLeft(campaignSeed, 32) ^ index);
    byte[] parent = seeds.get(random.nextInt(seeds.size()));
    return mutator.mutate(parent, seeds, random);
  }
}
