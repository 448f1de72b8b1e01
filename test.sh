#!/usr/bin/env bash
# Runs every test of Pyrite, from set-up to fuzzing, and stops at the first failure.
#
#   ./test.sh                 everything (what CI runs)
#   FUZZ_SECONDS=10 ./test.sh a shorter fuzz run (default 60 s per fuzz target)
#
# Each step prints a header and, when it ends, its duration. The exit status is 0 only when every
# step passed.
set -euo pipefail
cd "$(dirname "$0")"
# binaryen's wasm-opt from npm comes first: trunk uses whatever wasm-opt is on PATH.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# The core must build on its own for each no_std target, so that feature unification with the
# host crates cannot hide a use of `std`.
NO_STD_TARGETS=(thumbv7em-none-eabihf riscv32imc-unknown-none-elf wasm32-unknown-unknown)
FUZZ_TARGETS=(compile run repl dfu)
FUZZ_SECONDS=${FUZZ_SECONDS:-60}

TOTAL_START=$(date +%s)

# step NAME COMMAND...: runs COMMAND under a header; exits the script if it fails.
step() {
    local name=$1
    shift
    printf '\n==> %s\n' "$name"
    local start rc=0
    start=$(date +%s)
    "$@" || rc=$?
    local took=$(($(date +%s) - start))
    if [ "$rc" -ne 0 ]; then
        printf '<== %s: FAILED (exit %d) after %d s\n' "$name" "$rc" "$took"
        exit "$rc"
    fi
    printf '<== %s: ok, %d s\n' "$name" "$took"
}

# Functions run by `step` are in a `||` context, where `set -e` does not apply: chain with &&.
fmt_check() {
    cargo fmt --all --check && cargo fmt --manifest-path crates/fuzz/Cargo.toml --check
}

# The ESP32-C3 firmware is a workspace of its own (one target, its own profile): formatted and
# linted there. No emulator exists for the chip: its build and its image are what CI checks.
esp32c3_lint() {
    (cd crates/esp32c3 && cargo fmt --check && cargo clippy --release -- -D warnings)
}

# Fuzzes TARGET for FUZZ_SECONDS (address sanitizer and overflow checks on), seeded with the
# golden tests and every crash ever found.
# cargo-fuzz passes -Z flags to rustc (sanitizer, coverage): RUSTC_BOOTSTRAP lets the stable
# toolchain accept them.
fuzz_run() {
    local target=$1 rc=0
    mkdir -p "crates/fuzz/corpus/$target"
    if [ "$target" = dfu ]; then
        # A valid file to start from: the fuzzer mutates it into every kind of broken one.
        printf 'a few bytes of firmware' >"crates/fuzz/corpus/dfu/seed.bin"
        "${CARGO_TARGET_DIR:-target}/release/pyrite" --dfu-from-bin crates/fuzz/corpus/dfu/seed.bin \
            0x08000000 crates/fuzz/corpus/dfu/seed.dfu
    fi
    RUSTC_BOOTSTRAP=1 cargo fuzz run --debug-assertions --fuzz-dir crates/fuzz "$target" \
        "crates/fuzz/corpus/$target" crates/fuzz/regressions tests \
        -- -max_total_time="$FUZZ_SECONDS" -max_len=8192 -timeout=10 -print_final_stats=1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "fuzz target '$target' failed. Keep the input as a regression test:"
        echo "  cp crates/fuzz/artifacts/$target/<crash-file> crates/fuzz/regressions/"
    fi
    return "$rc"
}

step "set-up (setup.sh)" bash ./setup.sh
step "format (cargo fmt --check)" fmt_check
# The IDE crate imports the CodeMirror/xterm.js bundle (trunk's pre-build hook makes it too).
step "editor and terminal bundle (esbuild)" node web/js/build.mjs --release
step "clippy (workspace, all targets)" cargo clippy --workspace --all-targets -- -D warnings
step "clippy (browser crates, wasm32)" cargo clippy -p pyrite-ide -p pyrite-wasm \
    --target wasm32-unknown-unknown -- -D warnings
step "build pyrite (release)" cargo build --release --bin pyrite
# The browser crates' unit tests run on the host in a debug build (a release build of Leptos
# for the host would only cost time); their real test is in the browser below.
step "tests (cargo test --workspace --release)" cargo test --workspace --release \
    --exclude pyrite-ide --exclude pyrite-wasm
step "tests of the browser crates' logic (host)" cargo test -p pyrite-ide -p pyrite-wasm
# The boards' heap keeps its table in pages (the firmware crates turn the feature on).
step "core's own tests with the boards' paged heap" cargo test --release -p pyrite-core \
    --features paged-heap --lib
step "IDE build (trunk build --release)" trunk build --release
step "worker tests (node, the built worker)" node tests/wasm/worker.mjs --pkg dist
step "browser tests (headless Chromium)" node --test tests/browser/
step "golden tests under GC stress" env PYRITE_GCSTRESS=1 cargo test --release -p pyrite --test golden
for target in "${NO_STD_TARGETS[@]}"; do
    step "core for $target: build" cargo build -p pyrite-core --target "$target" --release
    step "core for $target: clippy" cargo clippy -p pyrite-core --target "$target" -- -D warnings
    step "board crates for $target: build" cargo build -p pyrite-repl -p pyrite-sim -p pyrite-hal \
        -p pyrite-link --target "$target" --release
done
step "ESP32-C3 firmware: format and clippy" esp32c3_lint
step "ESP32-C3 firmware: build, flashable image, esptool image-info" crates/esp32c3/image.sh
step "pyboard firmware: format, clippy, images, sizes" crates/stm32/images.sh "$PWD/target/firmware"
step "pyboard firmware in QEMU: REPL, Ctrl-C, mpremote, golden tests on the board" env \
    PYRITE_QEMU_IMAGE="$PWD/target/firmware/pyrite-stm32-qemu.elf" \
    PYRITE_QEMU_IMAGE_16K="$PWD/target/firmware/pyrite-stm32-qemu-16k.elf" \
    cargo test --release -p pyrite --test qemu -- --nocapture
for target in "${FUZZ_TARGETS[@]}"; do
    step "fuzz $target (${FUZZ_SECONDS} s)" fuzz_run "$target"
done

printf '\nall steps passed in %d s\n' "$(($(date +%s) - TOTAL_START))"
