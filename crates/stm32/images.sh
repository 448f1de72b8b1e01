#!/usr/bin/env bash
# Checks and builds the pyboard firmware, and prints what each image takes of the flash and RAM.
#
#   crates/stm32/images.sh [OUT]
#
# Formatting and clippy (both the pyboard and the QEMU build), then three images, copied to OUT
# (default: target/firmware at the repository's top):
#
#   pyrite-stm32-pyboard.elf / .bin   the pyboard (STM32F405RG; the .bin is written at 0x08000000)
#   pyrite-stm32-pyboard.dfu          the same in a DfuSe file for ST's DFU bootloader (dfu-util,
#                                     pydfu.py), made by the host's `pyrite --dfu-from-bin`
#   pyrite-stm32-qemu.elf             qemu-system-arm -M netduinoplus2 (`--features qemu`)
#   pyrite-stm32-qemu-16k.elf         the same with a 16 KiB Python heap (`qemu,heap-16k`)
#
# Flash is .text + .rodata + .data (+ the vector table); static RAM is .data + .bss + .uninit
# (the allocator's arena is in .uninit); the stack and the RAM disk have regions of their own.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"
out=${1:-$(cd ../.. && pwd)/target/firmware}
mkdir -p "$out"

# llvm-size and llvm-objcopy from rustup's llvm-tools, whichever toolchain has them.
tools=""
for d in "$HOME"/.rustup/toolchains/*/lib/rustlib/x86_64-unknown-linux-gnu/bin; do
    if [ -x "$d/llvm-size" ]; then
        tools=$d
        break
    fi
done
if [ -z "$tools" ]; then
    echo "images.sh: llvm-size not found: rustup component add llvm-tools" >&2
    exit 1
fi

cargo fmt --check
cargo clippy --release --quiet -- -D warnings
cargo clippy --release --quiet --features qemu -- -D warnings

elf="${CARGO_TARGET_DIR:-target}/thumbv7em-none-eabihf/release/pyrite-stm32"
for image in pyboard: qemu:qemu qemu-16k:qemu,heap-16k; do
    name=${image%%:*}
    features=${image#*:}
    cargo build --release --quiet --features "$features"
    cp "$elf" "$out/pyrite-stm32-$name.elf"
done
"$tools/llvm-objcopy" -O binary "$out/pyrite-stm32-pyboard.elf" "$out/pyrite-stm32-pyboard.bin"

# The host's `pyrite`, from the main workspace (where test.sh has already built it).
root=$(cd ../.. && pwd)
(cd "$root" && cargo build --release --quiet --bin pyrite)
"${CARGO_TARGET_DIR:-$root/target}/release/pyrite" --dfu-from-bin \
    "$out/pyrite-stm32-pyboard.bin" 0x08000000 "$out/pyrite-stm32-pyboard.dfu"

printf '%-26s %9s %9s %7s %12s %11s\n' image .text .rodata .data "flash" "static RAM"
for name in pyboard qemu qemu-16k; do
    "$tools/llvm-size" -A "$out/pyrite-stm32-$name.elf" | awk -v name="$name" '
        { size[$1] = $2 }
        END {
            flash = size[".vector_table"] + size[".text"] + size[".rodata"] + size[".data"]
            ram = size[".data"] + size[".bss"] + size[".uninit"]
            printf "%-26s %9d %9d %7d %12d %11d\n", "pyrite-stm32-" name ".elf",
                size[".text"], size[".rodata"], size[".data"], flash, ram
        }'
done
printf '%-26s %d bytes (flash at 0x08000000, for 0483:df11)\n' pyrite-stm32-pyboard.dfu \
    "$(wc -c <"$out/pyrite-stm32-pyboard.dfu")"
echo "images in $out"
