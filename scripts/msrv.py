#!/usr/bin/env python3
"""Checks that every workspace crate's declared `rust-version` is true of its dependencies.

Reads `cargo metadata` (the resolved graph of Cargo.lock) and fails when a dependency declares a
newer `rust-version` than a workspace crate that builds it: its normal and build dependencies,
transitively, and its own dev-dependencies (what `cargo test` of that crate builds). A crate
that declares no `rust-version` is reported too. Only the metadata is read, so this needs no
second toolchain.

    scripts/msrv.py              # check the workspace (exit 1 on a violation)
    scripts/msrv.py --self-test  # show that the check fails on a graph that violates it
"""

import json
import subprocess
import sys


def version(text):
    """`1.85` / `1.85.0` as a comparable tuple."""
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def violations(metadata):
    """(crate, its rust-version, dependency, its rust-version, how reached) for each violation."""
    packages = {p["id"]: p for p in metadata["packages"]}
    nodes = {n["id"]: n for n in metadata["resolve"]["nodes"]}

    def deps(node_id, kinds):
        for dep in nodes[node_id]["deps"]:
            if any((k["kind"] or "normal") in kinds for k in dep["dep_kinds"]):
                yield dep["pkg"]

    found = []
    for member in metadata["workspace_members"]:
        crate = packages[member]
        declared = crate.get("rust_version")
        if declared is None:
            found.append((crate["name"], None, None, None, "declares no rust-version"))
            continue
        # What building and testing this crate compiles: its normal, build and dev dependencies,
        # and what those need to build (their normal and build dependencies).
        seen = {}
        stack = [(d, packages[d]["name"]) for d in deps(member, {"normal", "build", "dev"})]
        while stack:
            pkg, path = stack.pop()
            if pkg in seen:
                continue
            seen[pkg] = path
            stack.extend((d, f"{path} -> {packages[d]['name']}") for d in deps(pkg, {"normal", "build"}))
        for pkg, path in sorted(seen.items(), key=lambda item: item[1]):
            needed = packages[pkg].get("rust_version")
            if needed and version(needed) > version(declared):
                found.append((crate["name"], declared, packages[pkg]["name"], needed, path))
    return found


def report(found):
    for crate, declared, dep, needed, path in found:
        if declared is None:
            print(f"msrv: {crate} {path}", file=sys.stderr)
        else:
            print(
                f"msrv: {crate} declares rust-version {declared}, but {dep} needs {needed} (via {path})",
                file=sys.stderr,
            )
    return 1 if found else 0


def self_test():
    """A two-crate graph where a dependency needs a newer Rust than its user declares."""
    def package(name, rust_version):
        return {"id": name, "name": name, "rust_version": rust_version}

    def node(name, *deps):
        return {"id": name, "deps": [{"pkg": d, "dep_kinds": [{"kind": k}]} for d, k in deps]}

    graph = {
        "workspace_members": ["app"],
        "packages": [package("app", "1.85"), package("lib", "1.85.0"), package("new", "1.88"),
                     package("devonly", "1.90"), package("devdep-of-lib", "1.99")],
        "resolve": {"nodes": [
            node("app", ("lib", None), ("devonly", "dev")),
            node("lib", ("new", None), ("devdep-of-lib", "dev")),
            node("new"), node("devonly"), node("devdep-of-lib"),
        ]},
    }
    found = violations(graph)
    # `new` (transitive, normal) and `devonly` (the crate's own dev-dependency) violate; a
    # dependency's dev-dependency is never built, and an equal version is no violation.
    expected = [("app", "1.85", "devonly", "1.90", "devonly"), ("app", "1.85", "new", "1.88", "lib -> new")]
    if sorted(found) != sorted(expected):
        print(f"msrv self-test: expected {expected}, found {found}", file=sys.stderr)
        return 1
    graph["packages"][0]["rust_version"] = "1.90"
    if violations(graph):
        print("msrv self-test: a true rust-version was reported", file=sys.stderr)
        return 1
    print("msrv self-test: violations are found, and only those")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if sys.argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    # Cargo.lock as it is; `--locked` refuses to update it silently.
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"], check=True, capture_output=True, text=True
    ).stdout
    status = report(violations(json.loads(out)))
    if status == 0:
        print("msrv: every workspace crate's rust-version is at least its dependencies'")
    return status


if __name__ == "__main__":
    sys.exit(main())
