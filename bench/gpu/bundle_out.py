"""Packs a GPU session's artefact tars in $OUT into as few bundles of at most 15 MiB as fit (the device tool returns at
most 8 files of 16 MiB each). Usage: python3 bench/gpu/bundle_out.py "$OUT"; unpack here with `tar -xf bundle-N.tar`."""
import os
import sys
import tarfile

out = sys.argv[1]
keep = {"summary.md", "results.jsonl", "logs.tar.gz", "session.log"}
tars = sorted((f for f in os.listdir(out) if f.endswith(".tar") and f not in keep), key=lambda f: -os.path.getsize(os.path.join(out, f)))
limit = 15 * 1024 * 1024
bundles = []                                           # first fit, largest first
for name in tars:
    size = os.path.getsize(os.path.join(out, name))
    for bundle in bundles:
        if bundle[0] + size <= limit:
            bundle[0] += size
            bundle[1].append(name)
            break
    else:
        bundles.append([size, [name]])
for i, (_, names) in enumerate(bundles):
    with tarfile.open(os.path.join(out, f"bundle-{i}.tar"), "w") as bundle:
        for name in names:
            bundle.add(os.path.join(out, name), arcname=name)
    for name in names:
        os.remove(os.path.join(out, name))
    print(f"bundle-{i}.tar: {', '.join(names)}")
