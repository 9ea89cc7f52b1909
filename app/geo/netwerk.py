"""Line networks as graphs: node ids from endpoints, union-find, components, chain merging.

Pure numpy + shapely. Used by the demo generator to keep its street network routable (one
connected component, junctions at line ends) and by tests to check the loaded network.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely


class UnionFind:
    """Disjoint sets over 0..n-1 with path halving and union by size."""

    def __init__(self, n: int) -> None:
        self.parent = np.arange(n)
        self.size = np.ones(n, dtype=np.int64)

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]

    def labels(self) -> np.ndarray:
        """The root of every element (a component label)."""
        return np.array([self.find(i) for i in range(len(self.parent))])


def endpoints(lines: np.ndarray | Sequence[object]) -> np.ndarray:
    """(n, 2, 2) start and end coordinates of each line."""
    arr = np.asarray(lines, dtype=object)
    start = shapely.get_coordinates(shapely.get_point(arr, 0))
    end = shapely.get_coordinates(shapely.get_point(arr, -1))
    return np.stack([start, end], axis=1)


def node_ids(lines: np.ndarray | Sequence[object], precision: float = 0.01
             ) -> tuple[np.ndarray, int]:
    """(n, 2) node id of each line's start and end (equal within ``precision``), node count."""
    ends = endpoints(lines).reshape(-1, 2)
    keys = np.round(ends / precision).astype(np.int64)
    _, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    return inverse.reshape(-1, 2), int(inverse.max()) + 1 if len(inverse) else 0


def component_labels(nodes: np.ndarray, n_nodes: int) -> np.ndarray:
    """Component label per edge of a graph given as (n, 2) node ids."""
    uf = UnionFind(n_nodes)
    for a, b in nodes:
        uf.union(int(a), int(b))
    roots = uf.labels()
    return roots[nodes[:, 0]] if len(nodes) else np.zeros(0, dtype=np.int64)


def components(lines: np.ndarray | Sequence[object], precision: float = 0.01) -> int:
    """How many connected components a set of lines forms (joined at shared endpoints)."""
    if len(lines) == 0:
        return 0
    nodes, n = node_ids(lines, precision)
    return len(set(component_labels(nodes, n).tolist()))


def degrees(nodes: np.ndarray, n_nodes: int) -> np.ndarray:
    """How many line ends meet at each node."""
    return np.bincount(nodes.reshape(-1), minlength=n_nodes)


def chains(nodes: np.ndarray, n_nodes: int, keys: Sequence[object]) -> np.ndarray:
    """Group label per edge: edges meeting at a node of degree 2 with equal keys are one chain.

    Junctions (degree 1 or >= 3) always end a chain, so merged lines only meet at their ends.
    """
    uf = UnionFind(len(nodes))
    deg = degrees(nodes, n_nodes)
    first = np.full(n_nodes, -1)
    for e, (a, b) in enumerate(nodes):
        for v in (int(a), int(b)):
            if deg[v] != 2:
                continue
            if first[v] < 0:
                first[v] = e
            elif keys[first[v]] == keys[e] and first[v] != e:
                uf.union(int(first[v]), e)
    return uf.labels()
