// End-to-end tests of the IDE in headless Chromium (Debian's, driven by playwright-core).
//
//   node --test tests/browser/            (after `trunk build --release`; test.sh does both)
//
// DIST names the built IDE (default dist/). SCREENSHOTS=DIR saves pictures of the IDE there.
// The figures (cold load time, Stop latency) are printed, never asserted against a clock.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import path from "path";
import url from "url";
import { chromium } from "playwright-core";
import { serve } from "./serve.mjs";

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "../..");
const DIST = process.env.DIST || path.join(root, "dist");
const SHOTS = process.env.SCREENSHOTS || "";

// Generous limits for waiting on a loaded 2-core machine; they bound hangs, they measure nothing.
const LONG = 60_000;

const CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

let server;
let browser;
let context;
let page;
let origin;

function figure(name, value) {
    console.log(`# figure: ${name}: ${value}`);
}

const terminalText = () => page.evaluate(() => window.pyriteTest.terminalText());

// Waits until the terminal's text satisfies `ok` (a string it contains, or a predicate).
async function waitTerminal(ok, timeout = LONG) {
    const check = typeof ok === "string" ? (t) => t.includes(ok) : ok;
    const start = Date.now();
    let text = "";
    while (Date.now() - start < timeout) {
        text = await terminalText();
        if (check(text)) return text;
        await page.waitForTimeout(25);
    }
    assert.fail(`terminal never showed ${ok}; it shows:\n${text}`);
}

// The terminal's text after the last prompt count `n` of `>>> ` reached `count`.
async function prompts() {
    return (await terminalText()).split(">>> ").length - 1;
}

// Types `line` into the terminal (as keys) and Enter, then waits for the next prompt.
async function repl(line) {
    const before = await prompts();
    await page.click("#terminal");
    await page.keyboard.type(line);
    await page.keyboard.press("Enter");
    await waitTerminal((t) => t.split(">>> ").length - 1 > before);
    const text = await terminalText();
    // The answer: the lines between the echoed input and the new prompt.
    const echo = text.lastIndexOf(">>> " + line);
    return text.slice(echo + 4 + line.length, text.lastIndexOf(">>> ")).trim();
}

// Replaces the editor's text (as if pasted: no auto-indent, no bracket closing).
async function setEditor(code) {
    await page.click("#editor .cm-content");
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText(code);
}

async function openIde() {
    const start = Date.now();
    await page.goto(origin, { waitUntil: "domcontentloaded" });
    await waitTerminal(">>> ");
    return Date.now() - start;
}

before(async () => {
    server = await serve(DIST);
    origin = `http://127.0.0.1:${server.address().port}/`;
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    page.on("pageerror", (e) => console.log("page error:", e.message));
    page.on("console", (m) => {
        if (m.type() === "error") console.log("console error:", m.text());
    });
});

after(async () => {
    await browser?.close();
    server?.close();
});

describe("the IDE", () => {
    test("loads to an interactive REPL", async () => {
        const ms = await openIde();
        figure("cold load to the first prompt (ms)", ms);
        assert.equal(await page.evaluate(() => crossOriginIsolated), true);
        const text = await terminalText();
        assert.match(text, /MicroPython v\d+\.\d+\.\d+ \(Pyrite [^)]+\); PYBv1\.1 with STM32F405RG/);
        await page.waitForSelector("#status:has-text('ready')", { timeout: LONG });
        for (const id of ["#editor", "#terminal", "#run", "#stop", "#files", "#led-1", "#switch"]) {
            assert.ok(await page.$(id), `${id} is on the page`);
        }
    });

    test("answers the seed's examples in the terminal", async () => {
        assert.equal(await repl("123"), "123");
        assert.equal(await repl("1 << 160"), "1461501637330902918203684832716283019655932542976");
        assert.equal(await repl("1.23e6"), "1230000.0");
        assert.equal(await repl("(1 + 2j) * 4j"), "(-8+4j)");
    });

    test("edits lines, keeps history and completes names", async () => {
        // Left arrow, deletion and insertion in the middle of the line: "1 + 3" becomes "1 - 3".
        await page.click("#terminal");
        await page.keyboard.type("1 + 3");
        await page.keyboard.press("ArrowLeft");
        await page.keyboard.press("ArrowLeft");
        await page.keyboard.press("Backspace");
        await page.keyboard.type("-");
        const before = await prompts();
        await page.keyboard.press("Enter");
        await waitTerminal((t) => t.split(">>> ").length - 1 > before);
        assert.match(await terminalText(), /1 - 3\s*\n-2\s*\n>>> $/);
        // Up arrow brings the line back.
        await page.keyboard.press("ArrowUp");
        await page.keyboard.press("Enter");
        await waitTerminal((t) => t.split(">>> ").length - 1 > before + 1);
        assert.match(await terminalText(), /-2\s*\n>>> 1 - 3\s*\n-2\s*\n>>> $/);
        // Tab completes an attribute.
        assert.equal(await repl("import micropython"), "");
        await page.keyboard.type("micropython.mem_i");
        await page.keyboard.press("Tab");
        await waitTerminal("micropython.mem_info");
        await page.keyboard.press("Control+C");
        await waitTerminal((t) => t.endsWith(">>> "));
    });

    test("paste mode takes text verbatim", async () => {
        await page.click("#terminal");
        await page.keyboard.press("Control+E");
        await waitTerminal("paste mode; Ctrl-C to cancel, Ctrl-D to finish");
        // Indented lines stay as typed: paste mode does not auto-indent.
        for (const line of ["def f(x):", "    return x * 3", "print(f(14))"]) {
            await page.keyboard.type(line);
            await page.keyboard.press("Enter");
        }
        await page.keyboard.press("Control+D");
        await waitTerminal((t) => /\n42\s*\n>>> $/.test(t));
    });

    test("runs the editor's file and lights LED 1", async () => {
        await page.click("[data-file='main.py']");
        await setEditor("import pyb\npyb.LED(1).on()\npyb.LED(4).intensity(100)\nprint('lit', 1 + 1)\n");
        await page.click("#run");
        await waitTerminal("lit 2");
        await page.waitForSelector("#led-1[data-intensity='255']", { timeout: LONG });
        await page.waitForSelector("#led-4[data-intensity='100']", { timeout: LONG });
        assert.equal(await page.getAttribute("#led-2", "data-intensity"), "0");
        await page.waitForSelector("#status:has-text('ready')", { timeout: LONG });
    });

    test("marks the line of an uncaught exception", async () => {
        await setEditor("x = 1\ny = 2\nprint(x / (y - 2))\n");
        await page.click("#run");
        await waitTerminal("ZeroDivisionError");
        await page.waitForSelector("#editor .cm-error-line", { timeout: LONG });
        const marked = await page.textContent("#editor .cm-error-line");
        assert.equal(marked, "print(x / (y - 2))");
        await page.waitForSelector("#status:has-text('ready')", { timeout: LONG });
    });

    test("stops an infinite loop, and the page stays responsive", async () => {
        await setEditor("n = 0\nwhile True:\n    n += 1\n");
        await page.click("#run");
        await page.waitForSelector("#status:has-text('running')", { timeout: LONG });
        await page.waitForTimeout(300);
        // The page answers while the loop runs (the interpreter is in its worker).
        const t0 = Date.now();
        assert.equal(await page.evaluate(() => 6 * 7), 42);
        figure("page round trip while a loop runs (ms)", Date.now() - t0);
        const t1 = Date.now();
        await page.click("#stop");
        await waitTerminal("KeyboardInterrupt");
        figure("Stop to KeyboardInterrupt shown (ms)", Date.now() - t1);
        await page.waitForSelector("#status:has-text('ready')", { timeout: LONG });
        assert.equal(await repl("n > 1000"), "True");
    });

    test("Ctrl-C in the terminal interrupts a sleep", async () => {
        await page.click("#terminal");
        await page.keyboard.type("import time; time.sleep(60)");
        await page.keyboard.press("Enter");
        await page.waitForTimeout(200);
        await page.keyboard.press("Control+C");
        await waitTerminal((t) => /KeyboardInterrupt:?\s*\n>>> $/.test(t));
    });

    test("input() reads a line typed in the terminal", async () => {
        await page.click("#terminal");
        await page.keyboard.type("name = input('name? ')");
        await page.keyboard.press("Enter");
        await waitTerminal((t) => t.endsWith("name? "));
        await page.keyboard.type("Ada");
        await page.keyboard.press("Enter");
        await waitTerminal((t) => t.endsWith(">>> "));
        assert.equal(await repl("name * 2"), "'AdaAda'");
    });

    test("scans the I2C bus and reads the sensor the slider sets", async () => {
        assert.equal(await repl("import machine; i2c = machine.I2C(1); i2c.scan()"), "[60, 66, 68, 80]");
        await page.fill("#temp", "30");
        await page.dispatchEvent("#temp", "input");
        await repl("i2c.writeto(0x44, b'\\x24\\x00'); time.sleep_ms(20); d = i2c.readfrom(0x44, 6)");
        const celsius = Number(await repl("round(-45 + 175 * (d[0] << 8 | d[1]) / 65535)"));
        assert.equal(celsius, 30);
    });

    test("pressing the switch is what pyb.Switch sees", async () => {
        assert.equal(await repl("sw = pyb.Switch(); sw.value()"), "False");
        // Hold the switch down with the mouse (pressing it keeps the terminal's focus) and ask.
        const box = await page.locator("#switch").boundingBox();
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.down();
        const before = await prompts();
        await page.keyboard.type("sw.value()");
        await page.keyboard.press("Enter");
        await waitTerminal((t) => t.split(">>> ").length - 1 > before);
        assert.match(await terminalText(), />>> sw\.value\(\)\s*\nTrue\s*\n>>> $/);
        await page.mouse.up();
        assert.equal(await repl("sw.value()"), "False");
    });

    test("draws the OLED through framebuf", async () => {
        const code =
            "import framebuf, machine\n" +
            "i2c = machine.I2C(1)\n" +
            "fb = framebuf.FrameBuffer(bytearray(1024), 128, 64, framebuf.MONO_VLSB)\n" +
            "fb.fill_rect(0, 0, 16, 8, 1)\n" +
            "fb.text('Hello, Pyrite!', 8, 28, 1)\n" +
            // As MicroPython's ssd1306 driver: horizontal addressing, the module's mirrored
            // columns and rows turned back (0xA1, 0xC8), charge pump on, display on, then the
            // whole frame as one data write.
            "i2c.writeto(0x3C, bytes([0, 0xae, 0x20, 0x00, 0xa1, 0xc8, 0x8d, 0x14, 0xaf]))\n" +
            "i2c.writeto(0x3C, bytes([0, 0x21, 0, 127, 0x22, 0, 7]))\n" +
            "i2c.writeto(0x3C, b'\\x40' + bytes(fb))\n";
        await setEditor(code + "print('drawn')\n");
        await page.click("#run");
        await waitTerminal("drawn");
        await page.waitForSelector("#status:has-text('ready')", { timeout: LONG });
        // The top-left 16x8 pixels are lit, the next ones dark.
        const lit = await page.evaluate(() => {
            const c = document.getElementById("oled");
            const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
            const px = (x, y) => d[(y * c.width + x) * 4] + d[(y * c.width + x) * 4 + 1] + d[(y * c.width + x) * 4 + 2];
            return [px(2, 2) > 0, px(15, 7) > 0, px(20, 2) > 0, px(2, 12) > 0];
        });
        assert.deepEqual(lit, [true, true, false, false]);
        if (SHOTS) await page.screenshot({ path: path.join(SHOTS, "ide.png") });
    });

    test("files survive a reload and are what open() and import see", async () => {
        await setEditor("import pyb\npyb.LED(1).on()\nprint('lit', 1 + 1)\n");
        await page.keyboard.press("Control+S");
        await page.waitForSelector("#status:has-text('ready')", { timeout: LONG });
        await repl("f = open('helper.py', 'w'); f.write('def twice(x):\\n    return 2 * x\\n'); f.close()");
        assert.equal(await repl("import helper; helper.twice(21)"), "42");
        await page.reload({ waitUntil: "domcontentloaded" });
        await waitTerminal(">>> ");
        await page.waitForSelector("[data-file='helper.py']", { timeout: LONG });
        assert.equal(await repl("open('main.py').read().splitlines()[1]"), "'pyb.LED(1).on()'");
        assert.equal(await repl("import helper; helper.twice(5)"), "10");
        await page.click("[data-file='main.py']");
        await page.waitForFunction(
            () => document.querySelector("#editor .cm-content").innerText.includes("print('lit', 1 + 1)"),
            null,
            { timeout: LONG },
        );
    });

    test("works offline once loaded", async () => {
        await page.evaluate(() => navigator.serviceWorker.ready);
        // Let the service worker take in what the page loaded.
        await page.waitForTimeout(500);
        await context.setOffline(true);
        try {
            const ms = await openIde();
            figure("offline load to the first prompt (ms)", ms);
            assert.equal(await repl("2 ** 10"), "1024");
        } finally {
            await context.setOffline(false);
        }
    });
});
