#!/usr/bin/env python3
"""Writes the API server served between two scrapes of its /metrics (apiserver_request_total).

  writes.py BEFORE AFTER [SITES] [OPERATOR_EVENTS]

Prints the writes (POST, PUT, PATCH, APPLY, DELETE) by resource and verb, then the operator's own:
the objects it owns (configmaps, deployments, services), its sites' status, and its events (given
by the caller, counted by reporting component: the controller manager records events too). The
controller manager's own writes (replicasets, deployments/status ...) are listed but not counted.
Then the reads of every client (GET, LIST, WATCH), the busiest four, for reference.
"""
import re
import sys
from collections import Counter

WRITES = {"POST", "PUT", "PATCH", "APPLY", "DELETE"}
READS = {"GET", "LIST", "WATCH"}
OPERATOR = {"configmaps", "deployments", "services", "tinystaticsites/status"}
LINE = re.compile(r'^apiserver_request_total\{(.*)\} ([0-9.e+]+)$')
LABEL = re.compile(r'(\w+)="([^"]*)"')


def scrape(path):
    """Requests by (resource, verb), every verb."""
    counts = Counter()
    with open(path) as metrics:
        for line in metrics:
            match = LINE.match(line.strip())
            if not match:
                continue
            labels = dict(LABEL.findall(match.group(1)))
            resource = labels.get("resource", "")
            if labels.get("subresource"):
                resource += "/" + labels["subresource"]
            counts[(resource, labels["verb"])] += float(match.group(2))
    return counts


def main():
    before, after = scrape(sys.argv[1]), scrape(sys.argv[2])
    requests = Counter({key: int(n - before.get(key, 0)) for key, n in after.items()})
    sites = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    events = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    delta = {(resource, verb): n for (resource, verb), n in requests.items() if verb in WRITES and n > 0}
    for (resource, verb), n in sorted(delta.items()):
        who = "operator" if resource in OPERATOR else "all" if resource == "events" else "other"
        print(f"    {resource:<32} {verb:<6} {n:>7}  ({who})")
    ours = sum(n for (resource, _), n in delta.items() if resource in OPERATOR) + events
    print(f"    {'events by the operator':<32} {'POST':<6} {events:>7}  (operator)")
    per_site = f", {ours / sites:.2f} per site" if sites else ""
    print(f"  operator writes: {ours}{per_site}")
    reads = Counter({key: n for key, n in requests.items() if key[1] in READS})
    busiest = ", ".join(f"{resource} {verb} {n}" for (resource, verb), n in reads.most_common(4) if n)
    print(f"  reads (all clients, for reference): {sum(reads.values())}; most: {busiest}")


if __name__ == "__main__":
    main()
