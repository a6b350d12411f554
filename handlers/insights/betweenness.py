"""Betweenness centrality by sampled Brandes, as whole-array sparse matrix products.

Brandes' algorithm sums, over source nodes, each node's share of the shortest paths from that
source. Summing over `samples` random sources and scaling by n / samples is the estimator of
Brandes and Pich (2007), the one networkx uses for `betweenness_centrality(k=...)`; with as
many samples as nodes it is exact. Here a batch of sources is run at once: the breadth-first
search is a sparse adjacency matrix times a dense (nodes x batch) frontier, level by level, and
so is the backward accumulation of dependencies. Path counts are floats, so a graph whose
shortest-path counts pass 1e300 would lose precision, not crash.
"""

import numpy as np
import numpy.typing as npt
from scipy import sparse

# Wider batches fall out of the CPU cache: 32 sources at a time was fastest on 50,000 nodes.
BATCH = 32

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def adjacency(n: int, sources: IntArray, targets: IntArray) -> sparse.csr_matrix:
    """The undirected, unweighted adjacency of nodes 0..n-1 (duplicates and loops dropped)."""
    keep = sources != targets
    rows = np.concatenate([sources[keep], targets[keep]])
    cols = np.concatenate([targets[keep], sources[keep]])
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n, n), dtype=np.float64
    )
    matrix.data[:] = 1.0
    return matrix


def _batch(graph: sparse.csr_matrix, starts: IntArray) -> FloatArray:
    """Sum of the dependencies of every node on the given sources (Brandes' delta)."""
    n, width = graph.shape[0], len(starts)
    columns = np.arange(width)
    depth = np.full((n, width), -1, dtype=np.int32)
    paths = np.zeros((n, width))
    depth[starts, columns] = 0
    paths[starts, columns] = 1.0
    frontier = paths.copy()
    level = 0
    while True:
        reached = graph @ frontier
        new = (reached > 0) & (depth < 0)
        if not new.any():
            break
        level += 1
        depth[new] = level
        paths[new] = reached[new]
        frontier = np.where(new, reached, 0.0)
    delta = np.zeros((n, width))
    for current in range(level, 0, -1):
        at_level = depth == current
        share = np.where(at_level, (1.0 + delta) / np.where(at_level, paths, 1.0), 0.0)
        pulled = graph @ share
        delta += np.where(depth == current - 1, paths * pulled, 0.0)
    delta[starts, columns] = 0.0
    result: FloatArray = delta.sum(axis=1)
    return result


def betweenness(graph: sparse.csr_matrix, samples: int | None = None, seed: int = 0) -> FloatArray:
    """Normalised betweenness of every node of an undirected graph, as networkx defines it.

    `samples` None (or at least the node count) means every node is a source: exact.
    """
    n = graph.shape[0]
    if n < 3:
        return np.zeros(n)
    if samples is None or samples >= n:
        starts = np.arange(n)
    else:
        starts = np.sort(np.random.default_rng(seed).choice(n, size=samples, replace=False))
    total = np.zeros(n)
    for first in range(0, len(starts), BATCH):
        total += _batch(graph, starts[first : first + BATCH])
    # Each pair is counted from both ends; networkx's normalisation for undirected graphs.
    scaled: FloatArray = total * (n / len(starts)) / ((n - 1) * (n - 2))
    return scaled
