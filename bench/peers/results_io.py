"""Reading the raw files of bench/results from Python.

JSON under bench/results is committed gzipped (NAME.json.gz): the working tree travels to the GPU
machine together with the packed runtime, 64 MiB in all, and JMH's JSON was most of the tree. The
scripts that wrote it write plain NAME.json, so a folder's readers take either form. The Java
report does the same in io.gradus.bench.report.ResultFiles.

A folder script imports this from its own place in the tree:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "peers"))
    from results_io import load_json, json_files
"""
import glob
import gzip
import json
import os


def load_json(path):
    """The parsed content of a JSON file, gzipped (.gz) or not; a plain name whose file is gone
    is read from NAME.gz (a script that names 'optim-avx2.json' reads 'optim-avx2.json.gz')."""
    if not path.endswith(".gz") and not os.path.exists(path) and os.path.exists(path + ".gz"):
        path = path + ".gz"
    with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as f:
        return json.load(f)


def json_files(pattern):
    """Sorted paths matching a glob pattern that ends in .json, in either stored form."""
    return sorted(set(glob.glob(pattern)) | set(glob.glob(pattern + ".gz")))

