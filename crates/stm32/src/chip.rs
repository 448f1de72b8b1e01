//! The STM32F405 itself: its unique ID, resets, the ROM bootloader, and what happens when
//! the firmware meets a fault or a panic (a message on the REPL's USART, then a reset).

use core::sync::atomic::{compiler_fence, Ordering};

use crate::serial;

/// `machine.unique_id()`: the 96-bit ID ST programs into every chip.
#[cfg(not(feature = "qemu"))]
pub fn unique_id() -> [u8; 12] {
    /// Where the reference manual (RM0090, 39.1) puts it.
    const UID: usize = 0x1FFF_7A10;
    let mut id = [0u8; 12];
    for (i, b) in id.iter_mut().enumerate() {
        // SAFETY: the unique ID is 12 bytes of read-only system memory on every STM32F405.
        *b = unsafe { core::ptr::read_volatile((UID + i) as *const u8) };
    }
    id
}

/// `machine.unique_id()`: QEMU maps no system memory, so its board has a fixed ID.
#[cfg(feature = "qemu")]
pub fn unique_id() -> [u8; 12] {
    *b"QEMU-STM32F4"
}

/// Resets the chip (`machine.reset()`): SCB's system reset request.
pub fn reset() -> ! {
    cortex_m::peripheral::SCB::sys_reset()
}

/// The word that asks the next start-up to enter the ROM bootloader; never zeroed by the
/// start-up code, so it survives the reset.
#[cfg(not(feature = "qemu"))]
#[link_section = ".uninit.bootloader"]
static mut BOOTLOADER_REQUEST: u32 = 0;

/// The value of [`BOOTLOADER_REQUEST`] that means "enter the bootloader".
#[cfg(not(feature = "qemu"))]
const BOOTLOADER_MAGIC: u32 = 0xB007_10AD;

/// `machine.bootloader()`: resets into ST's DFU bootloader in system memory. It is entered
/// from the start of the next boot ([`enter_bootloader_if_asked`]), while every peripheral
/// and clock is in its reset state, as the ROM expects.
#[cfg(not(feature = "qemu"))]
pub fn bootloader() -> ! {
    // SAFETY: a plain store to a word only this module uses; the reset follows.
    unsafe { core::ptr::addr_of_mut!(BOOTLOADER_REQUEST).write_volatile(BOOTLOADER_MAGIC) };
    compiler_fence(Ordering::SeqCst);
    reset()
}

/// `machine.bootloader()` under QEMU, which has no ROM bootloader: a plain reset.
#[cfg(feature = "qemu")]
pub fn bootloader() -> ! {
    serial::emergency_write(b"no bootloader in QEMU: resetting instead\r\n");
    compiler_fence(Ordering::SeqCst);
    reset()
}

/// Jumps to the ROM bootloader if the previous run asked for it; called first thing in
/// `main`, before any clock or peripheral is set up.
#[cfg(not(feature = "qemu"))]
pub fn enter_bootloader_if_asked(syscfg: &stm32f4xx_hal::pac::SYSCFG) {
    /// System memory, where the bootloader's vector table is (AN2606).
    const SYSTEM_MEMORY: u32 = 0x1FFF_0000;
    // SAFETY: reads and clears the word `bootloader` set; nothing else uses it.
    let asked = unsafe {
        let p = core::ptr::addr_of_mut!(BOOTLOADER_REQUEST);
        let asked = p.read_volatile() == BOOTLOADER_MAGIC;
        p.write_volatile(0);
        asked
    };
    if !asked {
        return;
    }
    // SAFETY: RCC's SYSCFG clock enable bit and SYSCFG's memory remap are set as RM0090
    // describes (system flash at 0), then `bootload` loads the ROM's stack pointer and jumps
    // to its reset vector; no Rust state is used after that.
    unsafe {
        let rcc = &*stm32f4xx_hal::pac::RCC::ptr();
        rcc.apb2enr().modify(|_, w| w.syscfgen().set_bit());
        syscfg.memrmp().write(|w| w.mem_mode().bits(0b01));
        cortex_m::asm::bootload(SYSTEM_MEMORY as *const u32)
    }
}

/// Tells what went wrong on the REPL's USART, then resets.
fn fatal(what: &str) -> ! {
    serial::emergency_write(b"\r\nFATAL: ");
    serial::emergency_write(what.as_bytes());
    serial::emergency_write(b"; resetting\r\n");
    reset()
}

// The message only when it is a plain string: formatting the others' arguments keeps their
// values and every panic site's location in the image, 25 KB of flash. So does anything in
// the path that depends on state (reading the allocator for the size of a failed request
// costs 23 KB). The core does not panic on any input; an allocation that must not fail and
// did is a plain "panic".
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    // On the pyboard the console is USB, gone once the board faults, so USART1 gets the bare
    // word: reading the message keeps every panic site's text and arguments in flash (9 KB).
    // The QEMU build's console is USART1, where a test reads the message.
    #[cfg(feature = "qemu")]
    fatal(info.message().as_str().unwrap_or("panic"));
    #[cfg(not(feature = "qemu"))]
    {
        let _ = info;
        fatal("panic")
    }
}

// The HardFault handler first moves the stack pointer back to the top of the stack: after a
// stack overflow it points below the stack's RAM, and the handler's first push would lock the
// core up. This is the vector itself (cortex-m-rt's table names `HardFault`), so nothing
// touches the stack before.
core::arch::global_asm!(
    ".section .HardFault.user, \"ax\"",
    ".global HardFault",
    ".type HardFault, %function",
    ".thumb_func",
    "HardFault:",
    "ldr r0, =_stack_start",
    "msr msp, r0",
    "b {fault}",
    fault = sym hard_fault,
);

/// The HardFault handler's Rust half, on a fresh stack.
extern "C" fn hard_fault() -> ! {
    fatal("HardFault (a stack overflow or a bad memory access)")
}
