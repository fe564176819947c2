# Sourced by the model build scripts: makes (or finds) the phone-target pretraining shards 0-17 of
# icld synth-phones (29.7 h, 18 x 2,400 utterances; about 2 minutes a shard on 2 cores) and lists
# them in the array `data`.
data=()
for s in $(seq 0 17); do
  dir=$(printf "build/phones/shard-%03d" "$s")
  [ -f "$dir/card.json" ] || ./icld synth-phones --out "$dir" --shard "$s"
  data+=("$dir")
done
