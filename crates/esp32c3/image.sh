#!/usr/bin/env bash
# Builds the ESP32-C3 firmware and its flashable image, checks the image with esptool, and
# prints what the firmware takes of the flash and of the RAM.
#
#   crates/esp32c3/image.sh        build, make and check the image
#
# The image (`pyrite-esp32c3.bin`, beside the ELF in the target folder) holds the ESP-IDF
# second-stage bootloader (from espflash), the partition table (`partitions.csv`) and the
# firmware, merged to be written at address 0:
#
#   esptool --chip esp32c3 write-flash 0 pyrite-esp32c3.bin
#
# Needs espflash (the image) and esptool (the check): `setup.sh` installs both.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$HOME/.local/bin:$PATH"

target_dir=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet
elf="$target_dir/riscv32imc-unknown-none-elf/release/pyrite-esp32c3"
image="$elf.bin"

# --skip-padding: the image ends with the firmware instead of filling the 4 MiB.
if ! log=$(espflash save-image --chip esp32c3 --merge --skip-padding --flash-size 4mb \
    --partition-table partitions.csv --skip-update-check "$elf" "$image" 2>&1); then
    printf '%s\n' "$log" >&2
    exit 1
fi

# The image as esptool sees it: the bootloader at 0, the partition table at 0x8000, the
# firmware at 0x10000, each valid (esptool exits non-zero on a bad checksum or hash).
check() {
    local what=$1 file=$2 info
    info=$(python3 -m esptool image-info "$file")
    for expect in "Detected image type: ESP32-C3" "Checksum: .* (valid)" \
        "Validation hash: .* (valid)" "$3"; do
        if ! grep -q -- "$expect" <<<"$info"; then
            printf '%s\n' "$info" >&2
            echo "image.sh: the $what lacks '$expect'" >&2
            return 1
        fi
    done
    echo "image: $what valid"
}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
check bootloader "$image" "Bootloader Information"
dd if="$image" of="$scratch/app.bin" bs=4096 skip=16 status=none
check firmware "$scratch/app.bin" "Project name: pyrite-esp32c3"
# The partition table: its entries are 32 bytes from 0x8000, magic 0xAA 0x50, the label at 12.
python3 - "$image" <<'EOF'
import struct, sys
table = open(sys.argv[1], 'rb').read()[0x8000:0x8000 + 0xC00]
parts = {}
for i in range(0, len(table), 32):
    e = table[i:i + 32]
    if e[:2] != b'\xaa\x50':
        break
    _, kind, sub, off, size = struct.unpack('<HBBII', e[:12])
    parts[e[12:28].rstrip(b'\0').decode()] = (kind, off, size)
assert parts.get('factory', (None,))[0] == 0, parts
assert parts.get('vfs', (None,))[0] == 1, parts
print('image: partition table valid: ' + ', '.join(
    f'{name} at {off:#x} ({size // 1024} KiB)' for name, (_, off, size) in parts.items()))
EOF

llvm_bin=$(ls -d "$HOME"/.rustup/toolchains/*/lib/rustlib/x86_64-unknown-linux-gnu/bin | head -1)
# The allocator's two regions (esp-alloc's `HEAP` statics), to tell the heap from the rest.
heap=$("$llvm_bin/llvm-nm" --print-size --radix=d -C "$elf" |
    awk '$3 ~ /^[bB]$/ && $4 ~ /^pyrite_esp32c3::.*::HEAP::/ { n += $2 } END { print n + 0 }')
"$llvm_bin/llvm-size" -A "$elf" | awk -v heap="$heap" '
    { size[$1] = $2 }
    END {
        flash = size[".text"] + size[".rodata"] + size[".data"] + size[".trap"] + size[".rwtext"]
        printf "flash: .text %d + .rodata %d + .data %d + code in RAM %d = %d bytes (%.1f KiB)\n",
            size[".text"], size[".rodata"], size[".data"], size[".trap"] + size[".rwtext"],
            flash, flash / 1024
        static = size[".data"] + size[".bss"] + size[".dram2_uninit"] - heap
        printf "RAM: heap %d; besides it: static data %d + code in RAM %d + stack %d = %d bytes\n",
            heap, static, size[".trap"] + size[".rwtext"], size[".stack"],
            static + size[".trap"] + size[".rwtext"] + size[".stack"]
    }'
echo "image: $image ($(stat -c %s "$image") bytes)"
