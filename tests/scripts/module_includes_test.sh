#!/usr/bin/env bash
# Includes follow the modules' link graph: a file of module M (src/M/, include/meteo/M/) includes
# headers only of M and of the modules M links, directly or not, as src/<module>/CMakeLists.txt
# declares them; each module links only modules added before it in the root CMakeLists.txt. The
# one exception is config, which gathers every module's settings.hpp (plain structs) into Config.
# include/meteo/model/ is core's. A failure names the file, the line and the edge it would add.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"

order_line=$(grep -E '^foreach\(module ' CMakeLists.txt || true)
if [ -z "$order_line" ]; then
  echo "CMakeLists.txt: no 'foreach(module ...)' line giving the modules' order" >&2
  exit 1
fi
read -r -a modules <<<"$(sed -E 's/^foreach\(module (.*)\)$/\1/' <<<"$order_line")"

declare -A position closure
failures=0
fail() {
  echo "$1" >&2
  failures=$((failures + 1))
}

# The modules each links (meteo_<name> in its meteo_module call), closed over their own links.
for i in "${!modules[@]}"; do
  module=${modules[$i]}
  position[$module]=$i
  cmake_file="src/$module/CMakeLists.txt"
  [ -f "$cmake_file" ] || { fail "$cmake_file: missing for module $module"; continue; }
  reach=" "
  for dep in $(grep -oE '\bmeteo_[a-z]+\b' "$cmake_file" | sed 's/^meteo_//' | sort -u); do
    [ "$dep" = module ] || [ "$dep" = "$module" ] && continue  # the call itself; cli's executable
    if [ -z "${position[$dep]+set}" ]; then
      fail "$cmake_file: $module links meteo_$dep, which is not added before it"
      continue
    fi
    reach+="$dep ${closure[$dep]} "
  done
  closure[$module]=$(tr ' ' '\n' <<<"$reach" | sed '/^$/d' | sort -u | tr '\n' ' ')
done

module_of_folder() {
  case "$1" in
    model) echo core ;;
    *) echo "$1" ;;
  esac
}

may_include() {  # may_include FROM_MODULE INCLUDED_PATH
  local from=$1 path=$2 folder=${2#meteo/}
  local to
  to=${folder%%/*}
  [ "$to" = model ] && to=core
  [ "$to" = "$from" ] && return 0
  [[ " ${closure[$from]} " == *" $to "* ]] && return 0
  [ "$from" = config ] && [[ "$path" == */settings.hpp ]] && return 0
  return 1
}

check_file() {  # check_file MODULE FILE
  local module=$1 file=$2 number line path target
  while IFS=: read -r number line; do
    path=${line#\#include \"}
    path=${path%%\"*}
    if [[ "$path" == meteo/*/* ]]; then
      may_include "$module" "$path" ||
        fail "$file:$number: $module includes $path, a header of a module it does not link"
    elif [[ "$path" == */* && "$file" == src/* ]]; then
      # A relative include stays inside its module's folder.
      target=$(realpath -m "$(dirname "$file")/$path")
      [[ "$target" == "$repo/src/$module/"* ]] || fail "$file:$number: $path leaves src/$module/"
    fi
  done < <(grep -nE '^#include "' "$file" || true)
}

checked=0
for module in "${modules[@]}"; do
  folders=("include/meteo/$module")
  [ "$module" = core ] && folders+=(include/meteo/model)
  for folder in "src/$module" "${folders[@]}" "tests/unit/$module"; do
    [ -d "$folder" ] || continue
    while IFS= read -r file; do
      check_file "$module" "$file"
      checked=$((checked + 1))
    done < <(find "$folder" -name '*.cpp' -o -name '*.hpp' | sort)
  done
done

# Every header folder belongs to a module, so none escapes the check.
for folder in include/meteo/*/; do
  name=$(basename "$folder")
  module=$(module_of_folder "$name")
  [ -n "${position[$module]+set}" ] || fail "include/meteo/$name/: no module of that name"
done

if [ "$failures" -gt 0 ]; then
  echo "$failures include(s) against the modules' link graph: link the module in its CMakeLists.txt" \
    "if the edge is meant, or move the type to the module both sides link" >&2
  exit 1
fi
echo "$checked files of ${#modules[@]} modules include only what they link"
