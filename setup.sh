#!/usr/bin/env bash
# Installs every tool Pyrite's build and tests need, each at a pinned version.
#
# Idempotent: every tool has one `install_<tool>` function that returns at once when the tool is
# already there at the pinned version, so running this script again costs a few seconds.
# Sources are only Debian's packages (apt-get), crates.io (cargo install), PyPI (pip) and npm.
#
# To add a tool: pin its version below, write `install_<tool>` with the same shape as the others
# (check, say "ok", or install), and call it from `main`.
set -euo pipefail

# --- Pinned versions ---------------------------------------------------------------------------
RUST_TARGETS=(wasm32-unknown-unknown thumbv7em-none-eabihf riscv32imc-unknown-none-elf)
RUST_COMPONENTS=(clippy rustfmt llvm-tools)
CARGO_FUZZ_VERSION=0.13.2
MPREMOTE_VERSION=1.29.0

# --- Helpers -----------------------------------------------------------------------------------
say() { printf 'setup: %s\n' "$*"; }

# Runs `apt-get update` at most once per run of this script, before the first Debian install.
APT_UPDATED=0
apt_install() {
    if [ "$APT_UPDATED" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# True when the Debian package NAME is installed.
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# Installs the crates.io binary crate NAME at VERSION unless `cargo NAME --version` (or
# `NAME --version`, given as the third argument) already reports that version.
cargo_install_pinned() {
    local name=$1 version=$2 probe=${3:-}
    local have=""
    if [ -n "$probe" ]; then
        have=$($probe --version 2>/dev/null || true)
    fi
    if printf '%s' "$have" | grep -q -- "$version"; then
        say "$name $version: ok"
        return
    fi
    say "$name $version: installing"
    cargo install "$name" --version "$version" --locked
}

# --- Tools -------------------------------------------------------------------------------------
install_rust_targets() {
    local installed missing=()
    installed=$(rustup target list --installed)
    for t in "${RUST_TARGETS[@]}"; do
        grep -qx "$t" <<<"$installed" || missing+=("$t")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "rust targets: ok"
    else
        say "rust targets: adding ${missing[*]}"
        rustup target add "${missing[@]}"
    fi
}

install_rust_components() {
    local installed missing=()
    installed=$(rustup component list --installed)
    for c in "${RUST_COMPONENTS[@]}"; do
        grep -q "^$c" <<<"$installed" || missing+=("$c")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "rust components: ok"
    else
        say "rust components: adding ${missing[*]}"
        rustup component add "${missing[@]}"
    fi
}

# cargo-fuzz runs on the stable toolchain with RUSTC_BOOTSTRAP=1 (it needs -Z flags for the
# sanitizer and coverage instrumentation); test.sh sets that variable for the fuzz step only.
install_cargo_fuzz() {
    cargo_install_pinned cargo-fuzz "$CARGO_FUZZ_VERSION" "cargo fuzz"
}

# mpremote, the MicroPython board client the virtual board's tests drive (into ~/.local/bin).
install_mpremote() {
    local have
    have=$(python3 -m pip show mpremote 2>/dev/null | sed -n 's/^Version: //p')
    if [ "$have" = "$MPREMOTE_VERSION" ]; then
        say "mpremote $MPREMOTE_VERSION: ok"
        return
    fi
    say "mpremote $MPREMOTE_VERSION: installing"
    python3 -m pip install --quiet --user --disable-pip-version-check "mpremote==$MPREMOTE_VERSION"
}

main() {
    install_rust_targets
    install_rust_components
    install_cargo_fuzz
    install_mpremote
}

main "$@"
