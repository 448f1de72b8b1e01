// Runs a Python script file with Pyrite's WebAssembly build under node, as `pyrite file.py`:
//   node tests/bench/wasm-run.mjs [--pkg DIR] [-X heapsize=N[k|m]] file.py
// The same command line as MicroPython's runner (../shared/bench/wasm-run.mjs in the benchmark
// set-up), so perf.py drives both alike. stdout gets the program's output as raw bytes; an
// uncaught exception prints its traceback on stderr and exits 1; SystemExit's code is the
// exit status.
//
// DIR holds `wasm-bindgen --target web` output of pyrite-wasm (pyrite-wasm.js and
// pyrite-wasm_bg.wasm): --pkg, else $PYRITE_WASM_PKG, else target/wasm-node/ (bench-wasm.sh
// builds it there).
import fs from "fs";
import path from "path";
import url from "url";

const here = path.dirname(url.fileURLToPath(import.meta.url));
let pkg = process.env.PYRITE_WASM_PKG || path.join(here, "../../target/wasm-node");
let heapsize = 2 * 1024 * 1024; // as MicroPython's runner: the unix port's initial heap
let file = null;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--pkg") pkg = path.resolve(argv[++i]);
    else if (argv[i] === "-X" && (argv[i + 1] || "").startsWith("heapsize=")) {
        const v = argv[++i].slice(9);
        heapsize = parseInt(v) * ({ k: 1024, m: 1048576 }[v.slice(-1).toLowerCase()] || 1);
    } else file = argv[i];
}
if (!file) {
    console.error("usage: node wasm-run.mjs [--pkg DIR] [-X heapsize=N] file.py");
    process.exit(2);
}

const glue = await import(url.pathToFileURL(path.join(pkg, "pyrite-wasm.js")).href);
glue.initSync({ module: fs.readFileSync(path.join(pkg, "pyrite-wasm_bg.wasm")) });

// Whole writes, also to a non-blocking pipe.
function writeAll(fd, data) {
    for (let off = 0; off < data.length;) {
        try {
            off += fs.writeSync(fd, data, off);
        } catch (e) {
            if (e.code !== "EAGAIN") throw e;
        }
    }
}

const src = fs.readFileSync(file, "utf8");
const rc = glue.run_script(src, heapsize, (data, fd) => writeAll(fd === 2 ? 2 : 1, data), file);
process.exit(rc);
