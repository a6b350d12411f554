"""Betweenness centrality by sampled Brandes, as whole-array sparse matrix products.

Brandes' algorithm sums, over source nodes, each node's share of the shortest paths from that
source. Summing over `samples` random sources and scaling by n / samples is the estimator of
Brandes and Pich (2007), the one networkx uses for `betweenness_centrality(k=...)`; with as
many samples as nodes it is exact. Here a batch of sources is run at once: the breadth-first
search is a sparse adjacency matrix times a dense (nodes x batch) frontier, level by level, and
so is the backward accumulation of dependencies. Path counts are single-precision floats:
exact to 2**24 and finite to 1e38, far beyond what a workplace graph (a short diameter, tens
of ties each) produces.
"""

import numpy as np
import numpy.typing as npt
from scipy import sparse

# Wider batches fall out of the CPU cache: 32 sources at a time was fastest on 50,000 nodes.
BATCH = 32

FloatArray = npt.NDArray[np.float64]  # the float32 work arrays are typed as this too
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def adjacency(n: int, sources: IntArray, targets: IntArray) -> sparse.csr_matrix:
    """The undirected, unweighted adjacency of nodes 0..n-1 (duplicates and loops dropped)."""
    keep = sources != targets
    rows = np.concatenate([sources[keep], targets[keep]])
    cols = np.concatenate([targets[keep], sources[keep]])
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, n), dtype=np.float32
    )
    matrix.data[:] = 1.0
    return matrix


def _spread(graph: sparse.csr_matrix, values: FloatArray, nonzero: BoolArray) -> FloatArray:
    """graph @ values, where `nonzero` marks the cells of `values` that may be nonzero.

    Early and late levels of a search touch few rows: multiplying only those rows (the graph
    is symmetric, so rows stand for columns) skips most of the matrix.
    """
    rows = np.flatnonzero(nonzero.any(axis=1))
    if len(rows) > graph.shape[0] // 2:
        full: FloatArray = graph @ values
        return full
    part: FloatArray = graph[rows].T @ values[rows]
    return part


def _batch(graph: sparse.csr_matrix, starts: IntArray) -> FloatArray:
    """Sum of the dependencies of every node on the given sources (Brandes' delta).

    Single precision: the products run twice as fast, and a ranking needs no more digits.
    """
    n, width = graph.shape[0], len(starts)
    columns = np.arange(width)
    depth = np.full((n, width), -1, dtype=np.int32)
    paths = np.zeros((n, width), dtype=np.float32)
    depth[starts, columns] = 0
    paths[starts, columns] = 1.0
    frontier = paths.copy()
    level = 0
    while True:
        reached = _spread(graph, frontier, depth == level)
        new = (reached > 0) & (depth < 0)
        if not new.any():
            break
        level += 1
        depth[new] = level
        paths[new] = reached[new]
        frontier = reached * new
    divisor = np.where(paths > 0, paths, np.float32(1.0))
    delta = np.zeros((n, width), dtype=np.float32)
    for current in range(level, 0, -1):
        at_level = depth == current
        share = (1.0 + delta) / divisor * at_level
        delta += paths * _spread(graph, share, at_level) * (depth == current - 1)
    delta[starts, columns] = 0.0
    result: FloatArray = delta.sum(axis=1, dtype=np.float64)
    return result


def betweenness(graph: sparse.csr_matrix, samples: int | None = None, seed: int = 0) -> FloatArray:
    """Normalised betweenness of every node of an undirected graph, as networkx defines it.

    `samples` None (or at least the number of people with a tie) means every one of them is
    a source: exact. People without ties lie on no path and start none, so they are left out
    of the search and out of the sampling (which keeps the estimate unbiased).
    """
    n = graph.shape[0]
    total = np.zeros(n)
    linked = np.flatnonzero(np.diff(graph.indptr) > 0)
    if n < 3 or not len(linked):
        return total
    graph = graph[linked][:, linked]
    if samples is None or samples >= len(linked):
        starts = np.arange(len(linked))
    else:
        rng = np.random.default_rng(seed)
        starts = np.sort(rng.choice(len(linked), size=samples, replace=False))
    for first in range(0, len(starts), BATCH):
        total[linked] += _batch(graph, starts[first : first + BATCH])
    # Each pair is counted from both ends; networkx's normalisation for undirected graphs.
    scaled: FloatArray = total * (len(linked) / len(starts)) / ((n - 1) * (n - 2))
    return scaled
