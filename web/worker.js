// The interpreter's Web Worker, an ES module worker: new Worker("./worker.js", {type: "module"}).
// It loads Pyrite's WebAssembly build, which handles the page's messages (see crates/wasm), and
// opens the board's flash image for it: only a worker may open a file of the Origin Private
// File System for synchronous access.
import init, { start_worker } from "./pyrite-wasm.js";

// The flash image `name` as a FileSystemSyncAccessHandle, or null (the files then live in
// memory only). The interpreter calls this once, when the page's "init" message arrives.
self.pyriteOpenFlash = async (name) => {
    try {
        const dir = await navigator.storage.getDirectory();
        const file = await dir.getFileHandle(name, { create: true });
        // A worker that just ended (a reset, a reload) may hold the file for a moment more.
        for (let tries = 1; ; tries++) {
            try {
                return await file.createSyncAccessHandle();
            } catch (e) {
                if (e.name !== "NoModificationAllowedError" || tries === 20) throw e;
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
        }
    } catch (e) {
        console.warn("pyrite: no private file system; the board's files stay in memory:", e);
        return null;
    }
};

// A crash inside the interpreter reaches the page.
self.addEventListener("error", (e) => {
    postMessage({ type: "fatal", message: "the interpreter crashed: " + (e.message || e) });
});

// Messages that arrive while the module loads are handled once it runs.
const early = [];
self.onmessage = (e) => early.push(e);
try {
    await init();
    start_worker();
    for (const e of early) self.onmessage(e);
} catch (e) {
    postMessage({ type: "fatal", message: "the interpreter failed to load: " + e });
}
