# Share of each class's target layers that the selector ran on that class's test clips (report.json's
# per-class layer frequencies against oracle-class-masks.json), averaged over classes; the same for
# the static subset (static_subsets.json), which runs one mask for every class.
# Usage: target_overlap.py ORACLE_JSON STATIC_SUBSETS_JSON REPORT_JSON...
import json, sys
targets = {b['budget']: b['class_masks'] for b in json.load(open(sys.argv[1]))['budgets']}
statics = {s['keep']: set(s['layers']) for s in json.load(open(sys.argv[2]))['subsets']}
print('static', *(f"k={k} {sum(len(statics[k] & set(m)) / k for m in masks.values()) / len(masks):.3f}"
                  for k, masks in sorted(targets.items(), reverse=True)))
for report in sys.argv[3:]:
    selection = json.load(open(report))['layer_selection']['selector']
    cells = []
    for k, masks in sorted(targets.items(), reverse=True):
        freq = selection[str(k)]
        share = sum(sum(freq[c][l] for l in layers) / k for c, layers in masks.items()) / len(masks)
        cells.append(f"k={k} {share:.3f}")
    print(report, *cells)
