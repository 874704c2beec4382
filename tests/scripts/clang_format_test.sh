#!/usr/bin/env bash
# Every C++ file git tracks is as clang-format (the .clang-format at the root) would write it; a
# failure lists each file and line. Exits 77 (skipped) outside a git checkout, e.g. an exported tree.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "SKIPPED: not a git checkout, so no list of tracked files"
  exit 77
fi
mapfile -t files < <(git ls-files -- '*.cpp' '*.hpp')
if [ "${#files[@]}" -eq 0 ]; then
  echo "no C++ files tracked: wrong directory?" >&2
  exit 1
fi
if ! clang-format --dry-run --Werror "${files[@]}"; then
  echo "clang-format would change the files above: run clang-format -i on them" >&2
  exit 1
fi
echo "${#files[@]} files formatted"
