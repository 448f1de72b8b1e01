//! The `pyrite` command: run a script, `-c` code or `-m` module, or start the REPL.
//!
//! Flags follow MicroPython's unix port: `-X heapsize=N` (with `k`/`m` suffixes) sets the
//! heap, `MICROPYPATH` sets `sys.path`. `-X gcstress` collects before every allocation.
//! `-X arena=N` caps the memory the interpreter may take in all, as a board's arena does.
//! `--board` serves the virtual board; `--dfu-from-bin` and `--dfu-info` make and read the
//! DfuSe files a pyboard is flashed with.

mod arena;
mod board;
mod dfu;
mod port;
mod repl;
mod terminal;

use std::process::ExitCode;

use pyrite_core::{Obj, Vm};

#[global_allocator]
static ALLOCATOR: arena::Capped = arena::Capped::new();

/// The heap when `-X heapsize` is not given.
const DEFAULT_HEAP: usize = 8 * 1024 * 1024;

/// What to run.
enum Target {
    File(String),
    Code(String),
    Module(String),
    Repl,
    /// The virtual board on a serial link.
    Board(board::Serial),
    /// A DfuSe file (`out`) that writes the binary `bin` at `address`.
    DfuFromBin {
        bin: String,
        address: u32,
        out: String,
    },
    /// Print what a DfuSe file holds.
    DfuInfo(String),
}

struct Options {
    heap: usize,
    /// `-X heapsize` was given.
    heap_set: bool,
    /// The virtual board's folder (`--fs`).
    fs: Option<String>,
    gc_stress: bool,
    /// `-X arena`: the cap on everything the interpreter allocates.
    arena: Option<usize>,
    target: Target,
    argv: Vec<String>,
}

fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim();
    let (num, mul) = match s.chars().last()? {
        'k' | 'K' => (&s[..s.len() - 1], 1024),
        'm' | 'M' => (&s[..s.len() - 1], 1024 * 1024),
        _ => (s, 1),
    };
    num.parse::<usize>().ok()?.checked_mul(mul)
}

fn usage() -> ! {
    eprintln!("usage: pyrite [-X heapsize=N] [-X arena=N] [-X gcstress] [-c CODE | -m MODULE | FILE] [ARGS...]");
    eprintln!("       pyrite --board tcp:HOST:PORT|pty [--fs FOLDER] [-X heapsize=N]");
    eprintln!("       pyrite --dfu-from-bin FILE.bin ADDRESS OUT.dfu");
    eprintln!("       pyrite --dfu-info FILE.dfu");
    eprintln!();
    eprintln!("--dfu-from-bin writes a DfuSe file for ST's DFU bootloader (0483:df11) that puts");
    eprintln!("FILE.bin at ADDRESS (0x hex or decimal; a pyboard's flash is at 0x08000000), for");
    eprintln!("`dfu-util -a 0 -D OUT.dfu` or pydfu.py. --dfu-info checks a DfuSe file (CRC");
    eprintln!("included) and lists its targets and elements.");
    std::process::exit(2);
}

fn parse_args() -> Options {
    let mut args = std::env::args().skip(1);
    let mut opts = Options {
        heap: DEFAULT_HEAP,
        heap_set: false,
        fs: None,
        gc_stress: false,
        arena: None,
        target: Target::Repl,
        argv: Vec::new(),
    };
    while let Some(a) = args.next() {
        match a.as_str() {
            "-X" => {
                let Some(x) = args.next() else { usage() };
                if let Some(v) = x.strip_prefix("heapsize=") {
                    match parse_size(v) {
                        Some(n) if n >= 1024 => {
                            opts.heap = n;
                            opts.heap_set = true;
                        }
                        _ => {
                            eprintln!("pyrite: invalid heap size: {v}");
                            std::process::exit(2);
                        }
                    }
                } else if let Some(v) = x.strip_prefix("arena=") {
                    let Some(n) = parse_size(v) else {
                        eprintln!("pyrite: invalid arena size: {v}");
                        std::process::exit(2);
                    };
                    opts.arena = Some(n);
                } else if x == "gcstress" {
                    opts.gc_stress = true;
                } else {
                    eprintln!("pyrite: unknown -X option: {x}");
                    std::process::exit(2);
                }
            }
            "-c" => {
                let Some(code) = args.next() else { usage() };
                opts.target = Target::Code(code);
                opts.argv.push("-c".into());
                opts.argv.extend(args.by_ref());
            }
            "-m" => {
                let Some(m) = args.next() else { usage() };
                opts.argv.push(m.clone());
                opts.target = Target::Module(m);
                opts.argv.extend(args.by_ref());
            }
            "--board" => {
                let serial = match args.next().as_deref() {
                    Some("pty") => board::Serial::Pty,
                    Some(spec) if spec.starts_with("tcp:") => board::Serial::Tcp(spec[4..].into()),
                    _ => usage(),
                };
                opts.target = Target::Board(serial);
            }
            "--dfu-from-bin" => {
                let (Some(bin), Some(address), Some(out)) = (args.next(), args.next(), args.next())
                else {
                    usage()
                };
                let Some(address) = dfu::parse_address(&address) else {
                    eprintln!("pyrite: invalid address: {address}");
                    std::process::exit(2);
                };
                opts.target = Target::DfuFromBin { bin, address, out };
            }
            "--dfu-info" => {
                let Some(path) = args.next() else { usage() };
                opts.target = Target::DfuInfo(path);
            }
            "--fs" => {
                let Some(dir) = args.next() else { usage() };
                opts.fs = Some(dir);
            }
            "-h" | "--help" => usage(),
            "-" => {
                opts.target = Target::Repl;
            }
            _ if a.starts_with('-') && a.len() > 1 => {
                eprintln!("pyrite: unknown option: {a}");
                std::process::exit(2);
            }
            _ => {
                opts.argv.push(a.clone());
                opts.target = Target::File(a);
                opts.argv.extend(args.by_ref());
            }
        }
    }
    opts
}

/// Sets `sys.path` as MicroPython's unix port does: the script's folder (or `''`), then
/// `MICROPYPATH` or the default library folders.
fn init_path(vm: &mut Vm, first: &str) {
    let _ = vm.push_path(first);
    match std::env::var("MICROPYPATH") {
        Ok(p) => {
            for d in p.split(':') {
                let _ = vm.push_path(d);
            }
        }
        Err(_) => {
            let home = std::env::var("HOME").unwrap_or_default();
            let _ = vm.push_path(&format!("{home}/.micropython/lib"));
            let _ = vm.push_path("/usr/lib/micropython");
        }
    }
}

/// The process exit status for an uncaught exception: `SystemExit` codes are honoured,
/// anything else prints its traceback and gives 1, or 130 (128 + SIGINT) for
/// `KeyboardInterrupt`, as MicroPython's unix port.
pub(crate) fn exit_status(vm: &mut Vm, e: Obj) -> u8 {
    if vm.exc_is(e, pyrite_core::types::ty::SYSTEM_EXIT) {
        let code = vm.system_exit_code(e);
        if code == Obj::NONE {
            return 0;
        }
        if let Some(i) = code.as_small_int() {
            return i as u8;
        }
        if let Ok(s) = vm.to_str(code) {
            vm.port.stderr(format!("{s}\n").as_bytes());
        }
        return 1;
    }
    vm.print_exception(e);
    if vm.exc_is(e, pyrite_core::types::ty::KEYBOARD_INTERRUPT) {
        return 130;
    }
    1
}

fn run(opts: Options) -> u8 {
    match opts.target {
        Target::DfuFromBin { bin, address, out } => return dfu::from_bin(&bin, address, &out),
        Target::DfuInfo(path) => return dfu::info(&path),
        _ => {}
    }
    if let Target::Board(serial) = opts.target {
        return board::run(board::BoardOptions {
            serial,
            fs: opts.fs.unwrap_or_else(|| "pyrite-board".into()).into(),
            heap: if opts.heap_set {
                opts.heap
            } else {
                board::DEFAULT_HEAP
            },
            gc_stress: opts.gc_stress,
        });
    }
    terminal::install_sigint();
    if let Some(bytes) = opts.arena {
        ALLOCATOR.cap(bytes);
    }
    let mut port = port::HostPort::new();
    if opts.arena.is_some() {
        port.arena = Some(|| ALLOCATOR.usage());
    }
    let mut vm = Vm::new(opts.heap, Box::new(port));
    if opts.arena.is_some() {
        // The compiler watches the arena as a board's does.
        vm.arena_free = Some(|| ALLOCATOR.free());
    }
    vm.heap.stress = opts.gc_stress;
    vm.max_nested = 400;
    // The host's file system, mounted at `/`: `open()` and `os` see the paths the shell sees.
    let _ = pyrite_core::vfs::mount_port_root(&mut vm);
    let argv: Vec<&str> = opts.argv.iter().map(|s| s.as_str()).collect();
    let _ = vm.set_argv(&argv);
    let status = match &opts.target {
        Target::File(path) => {
            // The script's real folder, as MicroPython's unix port (`realpath`) has it.
            let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.into());
            let dir = real
                .parent()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            init_path(&mut vm, &dir);
            match std::fs::read(path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(src) => match vm.run_main(&src, path) {
                        Ok(_) => 0,
                        Err(e) => exit_status(&mut vm, e),
                    },
                    Err(_) => {
                        eprintln!("pyrite: {path}: not valid UTF-8");
                        1
                    }
                },
                Err(err) => {
                    eprintln!("pyrite: can't open file '{path}': {err}");
                    2
                }
            }
        }
        Target::Code(code) => {
            init_path(&mut vm, "");
            match vm.run_main(code, "<stdin>") {
                Ok(_) => 0,
                Err(e) => exit_status(&mut vm, e),
            }
        }
        Target::Module(m) => {
            init_path(&mut vm, "");
            match vm.run_module_as_main(m) {
                Ok(_) => 0,
                Err(e) => exit_status(&mut vm, e),
            }
        }
        Target::Repl | Target::Board(_) | Target::DfuFromBin { .. } | Target::DfuInfo(_) => {
            init_path(&mut vm, "");
            repl::run(&mut vm)
        }
    };
    // `sys.atexit` runs last, as in MicroPython's unix port; its own error is printed.
    let status = match vm.run_atexit() {
        Ok(()) => status,
        Err(e) => exit_status(&mut vm, e).max(status),
    };
    vm.port.stdout(b"");
    port::flush();
    status
}

fn main() -> ExitCode {
    let opts = parse_args();
    // The interpreter recurses in Rust only for natives calling back into Python (bounded by
    // `max_nested`); a large stack makes that bound safe.
    let handle = std::thread::Builder::new()
        .stack_size(512 * 1024 * 1024)
        .spawn(move || run(opts));
    terminal::block_sigint_here();
    match handle.map(|h| h.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        _ => ExitCode::from(70),
    }
}
