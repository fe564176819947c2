# Adds to a copy of icld oracle's oracle.json, per budget, the class-conditional oracle's mask per
# class (as icld oracle now writes it), from the row's candidate_per_test_utterance and the test
# manifest's labels. The oracle chose each class's candidate on dev; this only reads the choice back.
import json, sys
oracle, test_manifest, out = sys.argv[1:4]
o = json.load(open(oracle))
labels = [json.loads(l)['label'] for l in open(test_manifest)]
for b in o['budgets']:
    row = next(r for r in b['rows'] if r['name'] == 'class-conditional oracle')
    assert row['fallback_utterances'] == 0
    masks = {}
    for label, c in zip(labels, row['candidate_per_test_utterance']):
        layers = b['candidates'][c]['layers']
        assert masks.setdefault(label, layers) == layers
    b['class_masks'] = dict(sorted(masks.items()))
o['class_masks_derived_by'] = ' '.join(['python3'] + sys.argv)
json.dump(o, open(out, 'w'), indent=2)
