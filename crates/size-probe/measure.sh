#!/usr/bin/env bash
# Builds the size probe for thumbv7em-none-eabihf (opt-level "z", LTO, one codegen unit,
# panic = abort) and prints the flash it takes: .text, .rodata, .data, and with SYMBOLS=N the
# flash by crate, the N largest modules and the N largest functions and constants.
#
#   crates/size-probe/measure.sh            the section sizes
#   SYMBOLS=30 crates/size-probe/measure.sh and the 30 largest modules and symbols
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"
rustup target add thumbv7em-none-eabihf >/dev/null 2>&1 || true
rustup component add llvm-tools >/dev/null 2>&1 || true

target_dir=${CARGO_TARGET_DIR:-target}
cargo build --release --target thumbv7em-none-eabihf --quiet
elf="$target_dir/thumbv7em-none-eabihf/release/size-probe"

bin=$(echo "$HOME"/.rustup/toolchains/*/lib/rustlib/x86_64-unknown-linux-gnu/bin/llvm-size | awk '{print $1}')
nm_bin=$(dirname "$bin")/llvm-nm
if [ ! -x "$bin" ]; then
    echo "llvm-size not found: rustup component add llvm-tools" >&2
    exit 1
fi

"$bin" -A "$elf" | awk '
    $1 == ".vector_table" || $1 == ".text" || $1 == ".rodata" || $1 == ".data" || $1 == ".bss" {
        printf "%-14s %8d bytes\n", $1, $2
        if ($1 != ".bss") flash += $2
    }
    END { printf "%-14s %8d bytes (%.1f KiB)\n", "flash total", flash, flash / 1024 }'

if [ "${SYMBOLS:-0}" -gt 0 ]; then
    # Flash symbols only (code, constants, initialised data), names demangled and unhashed.
    "$nm_bin" --print-size --size-sort --radix=d --demangle "$elf" \
        | awk '$3 ~ /^[tTrRdD]$/ { $1 = ""; $3 = ""; print }' \
        | sed -e 's/\$LT\$/</g; s/\$GT\$/>/g; s/\$u20\$/ /g; s/\$RF\$/\&/g; s/\.\./::/g' \
              -e 's/::h[0-9a-f]\{16\}$//; s/^_<impl /<impl /' >"$target_dir/size-probe-symbols.txt"
    echo
    echo "flash by crate (bytes; 'anon' is constants the compiler did not name):"
    awk '{ n = $2; sub(/^_?</, "", n); sub(/^(impl |&|mut )+/, "", n);
           if (n ~ /^\.L/) c = "anon"; else if (n !~ /^[a-z_0-9]+::/) c = "core"; else { split(n, p, "::"); c = p[1] }
           sum[c] += $1 }
         END { for (c in sum) printf "%8d  %s\n", sum[c], c }' "$target_dir/size-probe-symbols.txt" \
        | sort -nr | awk 'NR <= 12'
    echo
    echo "flash by module of Pyrite's crates (bytes; generic code is counted where it was inlined):"
    awk '{ n = $2; sub(/^_?</, "", n); sub(/^(impl |&|mut )+/, "", n); split(n, p, "::")
           if (p[1] !~ /^pyrite_/) next
           m = p[1] "::" p[2]; if (p[2] ~ /^(obj|modules|vm|vfs)$/ && p[3] ~ /^[a-z_0-9]+$/) m = m "::" p[3]
           sub(/[^a-z_:0-9].*/, "", m); sum[m] += $1 }
         END { for (m in sum) printf "%8d  %s\n", sum[m], m }' "$target_dir/size-probe-symbols.txt" \
        | sort -nr | awk -v n="$SYMBOLS" 'NR <= n'
    echo
    echo "largest $SYMBOLS symbols (bytes, name):"
    sort -nr "$target_dir/size-probe-symbols.txt" | awk -v n="$SYMBOLS" 'NR <= n {
        printf "%8d  ", $1; $1 = ""; sub(/^ +/, ""); print }'
fi
