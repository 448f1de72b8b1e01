// End-to-end tests of the interpreter's worker build (crates/wasm) under node, without a
// browser: the worker runs in a worker thread dressed as a browser worker (worker-shim.mjs),
// and this file plays the page of the worker protocol: the control buffer, the ring, the
// messages.
//
//   node tests/wasm/worker.mjs [--pkg DIR]
//
// DIR holds `wasm-bindgen --target web` output of pyrite-wasm (default target/wasm-node/, as
// bench-wasm.sh builds it; or $PYRITE_WASM_PKG).
import assert from "assert/strict";
import fs from "fs";
import os from "os";
import path from "path";
import test from "node:test";
import url from "url";
import { Worker } from "worker_threads";

const here = path.dirname(url.fileURLToPath(import.meta.url));
let pkg = process.env.PYRITE_WASM_PKG || path.join(here, "../../target/wasm-node");
const at = process.argv.indexOf("--pkg");
if (at > 0) pkg = path.resolve(process.argv[at + 1]);

const WRITE = 0, READ = 1, SWITCH = 2, TEMP = 3, HUMIDITY = 4, SIGNAL = 5;
const RING = 65536;

/** The page's side of one worker. */
class Page {
    constructor({ flashDir = null, heap = 1 << 20, sab = null } = {}) {
        this.sab = sab || new SharedArrayBuffer(64 + RING);
        this.ctl = new Int32Array(this.sab, 0, 16);
        this.ring = new Uint8Array(this.sab, 64, RING);
        if (!sab) {
            this.ctl[TEMP] = 2150;
            this.ctl[HUMIDITY] = 4500;
        }
        this.ctl[WRITE] = 0;
        this.ctl[READ] = 0;
        this.heap = heap;
        this.out = "";
        this.pos = 0;
        this.boards = [];
        this.resets = [];
        this.fatal = null;
        this.ready = false;
        this.pending = [];
        this.waiters = [];
        this.worker = new Worker(path.join(here, "worker-shim.mjs"), { workerData: { pkg, flashDir } });
        this.worker.on("message", (m) => this.receive(m));
        this.worker.on("error", (e) => { this.fatal = String(e); this.poke(); });
    }

    receive(m) {
        if (m.type === "out") this.out += Buffer.from(m.data).toString("latin1");
        else if (m.type === "board") this.boards.push(m);
        else if (m.type === "ready") this.ready = m;
        else if (m.type === "reset") this.resets.push(m.kind);
        else if (m.type === "fatal") this.fatal = m.message;
        else if (m.type === "consumed") this.fill();
        this.poke();
    }

    poke() {
        for (const w of this.waiters.splice(0)) w();
    }

    /** Waits until `cond()` holds (checked after every message), at most `ms`. */
    async until(cond, ms = 5000, what = "condition") {
        const end = Date.now() + ms;
        while (!cond()) {
            if (this.fatal) throw new Error("fatal: " + this.fatal);
            const left = end - Date.now();
            if (left <= 0) throw new Error(`timed out waiting for ${what}; output: ${JSON.stringify(this.out.slice(this.pos))}`);
            await new Promise((r) => {
                this.waiters.push(r);
                setTimeout(r, left);
            });
        }
    }

    /** The output up to and including `text`'s next appearance. */
    async expect(text, ms = 5000) {
        await this.until(() => this.out.indexOf(text, this.pos) >= 0, ms, JSON.stringify(text));
        const end = this.out.indexOf(text, this.pos) + text.length;
        const got = this.out.slice(this.pos, end);
        this.pos = end;
        return got;
    }

    async start() {
        this.worker.postMessage({ type: "init", control: this.sab, heap: this.heap, flash: "flash.img" });
        await this.until(() => this.ready, 10000, "ready");
        return this.expect(">>> ");
    }

    signal() {
        Atomics.add(this.ctl, SIGNAL, 1);
        Atomics.notify(this.ctl, SIGNAL);
    }

    /** Types `text` (a string of byte values) into the ring, queueing what does not fit. */
    send(text) {
        for (const b of Buffer.from(text, "latin1")) this.pending.push(b);
        this.fill();
    }

    fill() {
        if (!this.pending.length) return;
        const w = Atomics.load(this.ctl, WRITE) >>> 0;
        const r = Atomics.load(this.ctl, READ) >>> 0;
        const room = RING - ((w - r) >>> 0);
        const n = Math.min(room, this.pending.length);
        if (n === 0) return;
        const bytes = this.pending.splice(0, n);
        for (let i = 0; i < n; i++) this.ring[(w + i) % RING] = bytes[i];
        Atomics.store(this.ctl, WRITE, (w + n) | 0);
        this.signal();
        this.worker.postMessage({ type: "wake" });
    }

    /** Runs `line` at the friendly prompt; the output between the echo and the next prompt. */
    async run(line, ms = 5000) {
        this.send(line + "\r");
        await this.expect(line + "\r\n", ms);
        const out = await this.expect(">>> ", ms);
        return out.slice(0, -4);
    }

    async stop() {
        await this.worker.terminate();
    }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pyrite-worker-test-"));

test("the board greets, answers and edits lines", async () => {
    const page = new Page();
    try {
        const banner = await page.start();
        assert.match(banner, /^MicroPython v\d+\.\d+\.\d+ \(Pyrite [^)]*\); PYBv1\.1 with STM32F405RG\r\nType "help\(\)" for more information\.\r\n>>> $/);
        assert.equal(await page.run("1+2"), "3\r\n");
        assert.equal(await page.run("print('a\\nb')"), "a\r\nb\r\n");
        assert.equal(await page.run("import sys; sys.platform"), "'pyboard'\r\n");
        // Ctrl-C abandons a line.
        page.send("abc\x03");
        assert.equal(await page.expect(">>> "), "abc\r\n>>> ");
        // A compound statement over several lines.
        page.send("for i in range(3):\r");
        await page.expect("... ");
        page.send("print(i)\r\r");
        assert.match(await page.expect(">>> "), /0\r\n1\r\n2\r\n>>> $/);
    } finally {
        await page.stop();
    }
});

test("Ctrl-C interrupts running code, input() and sleep", async () => {
    const page = new Page();
    try {
        await page.start();
        page.send("while True: pass\r\r");
        await page.expect("while True: pass\r\n");
        await new Promise((r) => setTimeout(r, 200));
        page.send("\x03");
        assert.match(await page.expect(">>> "), /KeyboardInterrupt: \r\n>>> $/);
        // input() edits and echoes a typed line.
        page.send("s = input('? ')\r");
        await page.expect("? ");
        page.send("hex\x7flo\r");
        await page.expect(">>> ");
        assert.equal(await page.run("s"), "'helo'\r\n");
        page.send("input()\r");
        await page.expect("input()\r\n");
        page.send("x\x03");
        assert.match(await page.expect(">>> "), /KeyboardInterrupt/);
        // A long sleep ends at Ctrl-C, at once.
        page.send("import time; time.sleep(30)\r");
        await page.expect("time.sleep(30)\r\n");
        await new Promise((r) => setTimeout(r, 100));
        const t0 = Date.now();
        page.send("\x03");
        assert.match(await page.expect(">>> "), /KeyboardInterrupt/);
        assert.ok(Date.now() - t0 < 1000, "the sleep ended late");
        // A short sleep lasts its time.
        assert.equal(await page.run("t = time.ticks_ms(); time.sleep_ms(100); time.ticks_diff(time.ticks_ms(), t) >= 100"), "True\r\n");
        // sys.stdin reads a typed line.
        page.send("import sys; sys.stdin.readline()\r");
        await page.expect("sys.stdin.readline()\r\n");
        page.send("xyz\r");
        assert.equal(await page.expect(">>> "), "xyz\r\n'xyz\\n'\r\n>>> ");
    } finally {
        await page.stop();
    }
});

test("output streams while a program runs", async () => {
    const page = new Page();
    try {
        await page.start();
        page.send("import time\r");
        await page.expect(">>> ");
        page.send("for i in range(5): print(i); time.sleep_ms(100)\r\r");
        // The first lines arrive long before the program ends.
        const t0 = Date.now();
        await page.expect("1\r\n");
        assert.ok(Date.now() - t0 < 400, "output was held back");
        await page.expect(">>> ");
        // A program that never waits still shows its output every few tens of ms.
        page.send("n = 0\r");
        await page.expect(">>> ");
        page.send("while True:\r print(n); n += 1\r\r");
        await page.expect("\r\n3\r\n");
        page.send("\x03");
        await page.expect(">>> ");
    } finally {
        await page.stop();
    }
});

test("the board's LEDs, pins, switch, sensor and OLED reach the page", async () => {
    const page = new Page();
    try {
        await page.start();
        await page.run("import pyb, machine, time");
        page.boards.length = 0;
        await page.run("pyb.LED(1).on(); pyb.LED(4).intensity(100)");
        await page.until(() => page.boards.some((b) => b.leds[0] === 255 && b.leds[3] === 100), 2000, "LED message");
        const last = page.boards.at(-1);
        assert.equal(last.leds.length, 4);
        assert.equal(last.switch, 0);
        // A pin made an output is listed; one that never was is not.
        await page.run("p = machine.Pin('X1', machine.Pin.OUT); p.value(1)");
        await page.until(() => page.boards.some((b) => b.pins.some(([n, v]) => n === "X1" && v === 1)), 2000, "pin X1");
        assert.ok(!page.boards.at(-1).pins.some(([n]) => n === "X2"));
        // The switch, held on the page, is what the program reads.
        await page.run("sw = pyb.Switch()");
        assert.equal(await page.run("sw()"), "False\r\n");
        Atomics.store(page.ctl, SWITCH, 1);
        page.signal();
        assert.equal(await page.run("sw()"), "True\r\n");
        await page.until(() => page.boards.at(-1).switch === 1, 2000, "switch message");
        Atomics.store(page.ctl, SWITCH, 0);
        page.signal();
        // A program waiting for the switch sees it pressed while it runs.
        page.send("while not sw(): time.sleep_ms(5)\r\r");
        await page.expect("time.sleep_ms(5)\r\n");
        await new Promise((r) => setTimeout(r, 100));
        Atomics.store(page.ctl, SWITCH, 1);
        page.signal();
        await page.expect(">>> ", 2000);
        // The sensor measures what the page says.
        Atomics.store(page.ctl, TEMP, 3000);
        page.signal();
        const reading = await page.run("i2c = machine.I2C(1); i2c.writeto(0x44, b'\\x24\\x00'); time.sleep_ms(20); d = i2c.readfrom(0x44, 6); round(-45 + 175 * (d[0] << 8 | d[1]) / 65535, 1)");
        // (The REPL shows every expression statement's value: `writeto` wrote 2 bytes.)
        assert.equal(reading, "2\r\n30.0\r\n");
        // The OLED: turned on, in horizontal addressing, filled: the glass is lit.
        page.boards.length = 0;
        await page.run("i2c.writeto(0x3c, bytes([0, 0x20, 0, 0x8d, 0x14, 0xaf])); i2c.writeto(0x3c, b'\\x40' + b'\\xff' * 1024)");
        await page.until(() => page.boards.some((b) => b.oled && b.oled.every((x) => x === 0xff)), 2000, "OLED lit");
        assert.equal(page.boards.find((b) => b.oled).oled.length, 1024);
    } finally {
        await page.stop();
    }
});

test("raw REPL, raw paste and soft reset", async () => {
    const page = new Page();
    try {
        await page.start();
        page.send("\x01");
        await page.expect("raw REPL; CTRL-B to exit\r\n>");
        page.send("print(6*7)\x04");
        assert.equal(await page.expect("\x04>"), "OK42\r\n\x04\x04>");
        page.send("1/0\x04");
        assert.match(await page.expect("\x04>"), /^OK\x04Traceback.*ZeroDivisionError: divide by zero\r\n\x04>$/s);
        // Raw paste: a flow-controlled stream of 1000 bytes.
        page.send("\x05A\x01");
        assert.equal(await page.expect("R\x01\x80\x00\x01"), "R\x01\x80\x00\x01");
        const prog = "x = 0\n" + "x += 1\n".repeat(141) + "print(x)\n";
        page.send(prog + "\x04");
        assert.match(await page.expect("\x04>"), /^(\x01)*\x04141\r\n\x04\x04>$/);
        page.send("\x02");
        await page.expect(">>> ");
        // Soft reset: a fresh interpreter.
        await page.run("y = 5");
        page.send("\x04");
        assert.match(await page.expect(">>> "), /MPY: soft reboot\r\nMicroPython .*\r\n>>> $/s);
        assert.match(await page.run("y"), /NameError/);
        // machine.soft_reset() too.
        page.send("import machine; machine.soft_reset()\r");
        assert.match(await page.expect(">>> "), /MPY: soft reboot/);
    } finally {
        await page.stop();
    }
});

test("a paste bigger than the ring arrives whole", async () => {
    const page = new Page();
    try {
        await page.start();
        page.send("\x05");
        await page.expect("=== ");
        const lines = [];
        for (let i = 0; i < 4000; i++) lines.push(`a${i} = ${i} * 2  # filler to make the paste long`);
        lines.push("print(a3999 + a0)");
        page.send(lines.join("\n") + "\n\x04");
        assert.match(await page.expect(">>> ", 30000), /7998\r\n>>> $/);
    } finally {
        await page.stop();
    }
});

test("files live in the flash and survive a new worker", async () => {
    const flashDir = path.join(tmp, "flash1");
    fs.mkdirSync(flashDir);
    let page = new Page({ flashDir });
    try {
        await page.start();
        assert.equal(page.ready.persistent, true);
        assert.equal(await page.run("import os; sorted(os.listdir())"), "['boot.py', 'main.py']\r\n");
        await page.run("f = open('notes.txt', 'w'); f.write('kept'); f.close()");
        await page.run("f = open('main.py', 'w'); f.write('print(\"main ran\")\\n'); f.close()");
    } finally {
        await page.stop();
    }
    assert.equal(fs.statSync(path.join(flashDir, "flash.img")).size, 1 << 20);
    page = new Page({ flashDir });
    try {
        const greeting = await page.start();
        assert.match(greeting, /^main ran\r\nMicroPython/);
        assert.equal(await page.run("open('notes.txt').read()"), "'kept'\r\n");
    } finally {
        await page.stop();
    }
});

test("without a private file system the files live in memory", async () => {
    const page = new Page();
    try {
        await page.start();
        assert.equal(page.ready.persistent, false);
        await page.run("f = open('t.txt', 'w'); f.write('x'); f.close()");
        assert.equal(await page.run("open('t.txt').read()"), "'x'\r\n");
    } finally {
        await page.stop();
    }
});

test("machine.reset() asks the page for a fresh worker", async () => {
    const page = new Page();
    try {
        await page.start();
        page.send("import machine; machine.reset()\r");
        await page.until(() => page.resets.length > 0, 5000, "reset message");
        assert.deepEqual(page.resets, ["hard"]);
        page.resets.length = 0;
    } finally {
        await page.stop();
    }
    const page2 = new Page();
    try {
        await page2.start();
        page2.send("import machine; machine.bootloader()\r");
        await page2.until(() => page2.resets.length > 0, 5000, "reset message");
        assert.deepEqual(page2.resets, ["bootloader"]);
    } finally {
        await page2.stop();
    }
});

test("garbage on the wire never breaks the board", async () => {
    const page = new Page();
    try {
        await page.start();
        let seed = 12345;
        const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16;
        for (let round = 0; round < 20; round++) {
            let junk = "";
            for (let i = 0; i < 200; i++) junk += String.fromCharCode(rnd() & 0xff);
            page.send(junk);
            page.send("\x03\x02\r\x03\x03");
        }
        await new Promise((r) => setTimeout(r, 500));
        page.pos = page.out.length;
        assert.equal(await page.run("6*7", 10000), "42\r\n");
    } finally {
        await page.stop();
    }
});

test("a bad control buffer is a fatal message", async () => {
    const worker = new Worker(path.join(here, "worker-shim.mjs"), { workerData: { pkg, flashDir: null } });
    try {
        const msg = await new Promise((resolve) => {
            worker.on("message", (m) => m.type === "fatal" && resolve(m));
            worker.postMessage({ type: "init", control: new ArrayBuffer(65600) });
        });
        assert.match(msg.message, /SharedArrayBuffer/);
    } finally {
        await worker.terminate();
    }
});
