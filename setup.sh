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
ESPFLASH_VERSION=4.7.0
ESPTOOL_VERSION=5.6.0
TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must be exactly the `wasm-bindgen` crate's version in Cargo.lock.
WASM_BINDGEN_VERSION=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;q}' \
    "$(dirname "$0")/Cargo.lock")
# The npm packages (CodeMirror, xterm.js, esbuild, binaryen's wasm-opt, playwright-core) are
# pinned by package-lock.json.

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

# Installs the crates.io binary crate NAME at VERSION unless the command PROBE (`PROBE
# --version`) already reports that version. Further arguments go to `cargo install` (default
# `--locked`).
cargo_install_pinned() {
    local name=$1 version=$2 probe=${3:-}
    shift 3 || shift $#
    local flags=("$@")
    [ ${#flags[@]} -gt 0 ] || flags=(--locked)
    local have=""
    if [ -n "$probe" ]; then
        have=$($probe --version 2>/dev/null || true)
    fi
    if printf '%s' "$have" | grep -q -- "$version"; then
        say "$name $version: ok"
        return
    fi
    say "$name $version: installing"
    cargo install "$name" --version "$version" "${flags[@]}"
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

# espflash makes the ESP32-C3 firmware's flashable image (`crates/esp32c3/image.sh`): it carries
# the ESP-IDF second-stage bootloader the image needs, which esptool does not ship. Its serial
# support links libudev.
install_espflash() {
    deb_installed libudev-dev && deb_installed pkg-config ||
        apt_install -o DPkg::Lock::Timeout=600 libudev-dev pkg-config
    cargo_install_pinned espflash "$ESPFLASH_VERSION" espflash
}

# esptool checks the ESP32-C3 image (`esptool image-info`) and flashes it (into ~/.local/bin).
install_esptool() {
    local have
    have=$(python3 -m pip show esptool 2>/dev/null | sed -n 's/^Version: //p')
    if [ "$have" = "$ESPTOOL_VERSION" ]; then
        say "esptool $ESPTOOL_VERSION: ok"
        return
    fi
    say "esptool $ESPTOOL_VERSION: installing"
    python3 -m pip install --quiet --user --disable-pip-version-check "esptool==$ESPTOOL_VERSION"
}

# QEMU's Arm system emulator boots the pyboard firmware (`-M netduinoplus2`, an STM32F405) for
# the firmware tests. Debian's package (QEMU 7.2), in an apt call of its own: installed together
# with other packages it met a resolver error.
install_qemu() {
    if deb_installed qemu-system-arm; then
        say "qemu-system-arm: ok"
        return
    fi
    say "qemu-system-arm: installing"
    apt_install -o DPkg::Lock::Timeout=600 qemu-system-arm
}

# dfu-util flashes a pyboard in DFU mode; its `dfu-suffix -c` checks the `.dfu` files the
# firmware build writes (the CLI's DfuSe test).
install_dfu_util() {
    if deb_installed dfu-util; then
        say "dfu-util: ok"
        return
    fi
    say "dfu-util: installing"
    apt_install -o DPkg::Lock::Timeout=600 dfu-util
}

# trunk builds the IDE. Its debug build installs in half the time and works the same.
install_trunk() {
    cargo_install_pinned trunk "$TRUNK_VERSION" trunk --locked --debug
}

# wasm-bindgen-cli's own lockfile pins crates this registry may lack: installed unlocked.
install_wasm_bindgen() {
    cargo_install_pinned wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen --force
}

# Chromium for the browser tests (driven by playwright-core; never a downloaded browser).
install_chromium() {
    if deb_installed chromium; then
        say "chromium: ok"
        return
    fi
    say "chromium: installing"
    apt_install -o DPkg::Lock::Timeout=600 chromium
}

install_node() {
    if command -v node >/dev/null && command -v npm >/dev/null; then
        say "node $(node --version): ok"
        return
    fi
    say "node: installing"
    apt_install -o DPkg::Lock::Timeout=600 nodejs npm
}

# The npm packages, exactly as package-lock.json says (npm keeps its own copy of the lock in
# node_modules: when that is newer, nothing changed).
install_npm_packages() {
    local root
    root=$(dirname "$0")
    if [ -f "$root/node_modules/.package-lock.json" ] &&
        [ "$root/node_modules/.package-lock.json" -nt "$root/package-lock.json" ]; then
        say "npm packages: ok"
        return
    fi
    say "npm packages: installing"
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
}

main() {
    install_rust_targets
    install_rust_components
    install_node
    install_npm_packages
    install_chromium
    install_mpremote
    install_qemu
    install_dfu_util
    install_esptool
    # The cargo installs are the slow part: they run side by side.
    install_cargo_fuzz &
    local fuzz=$!
    install_wasm_bindgen &
    local bindgen=$!
    install_espflash &
    local espflash=$!
    install_trunk
    wait "$fuzz"
    wait "$bindgen"
    wait "$espflash"
}

main "$@"
