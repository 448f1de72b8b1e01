// A node worker thread dressed as the browser's dedicated worker for Pyrite's worker build:
// `onmessage`/`postMessage` over worker_threads, and `pyriteOpenFlash` over a host file
// standing in for the Origin Private File System (the `FileSystemSyncAccessHandle` calls the
// interpreter makes: getSize, read, write, flush). Started by worker.mjs.
import fs from "fs";
import path from "path";
import url from "url";
import { parentPort, workerData } from "worker_threads";

let handler = null;
const early = [];
Object.defineProperty(globalThis, "onmessage", {
    get: () => handler,
    set: (f) => {
        handler = f;
        while (handler && early.length) handler({ data: early.shift() });
    },
});
parentPort.on("message", (data) => (handler ? handler({ data }) : early.push(data)));
globalThis.postMessage = (m) => parentPort.postMessage(m);

globalThis.pyriteOpenFlash = async (name) => {
    if (!workerData.flashDir) return null;
    const fd = fs.openSync(path.join(workerData.flashDir, name), fs.constants.O_RDWR | fs.constants.O_CREAT);
    return {
        getSize: () => fs.fstatSync(fd).size,
        read: (buf, opts) => fs.readSync(fd, buf, 0, buf.length, opts?.at ?? 0),
        write: (buf, opts) => fs.writeSync(fd, buf, 0, buf.length, opts?.at ?? 0),
        flush: () => fs.fsyncSync(fd),
        close: () => fs.closeSync(fd),
    };
};

const glue = await import(url.pathToFileURL(path.join(workerData.pkg, "pyrite-wasm.js")).href);
glue.initSync({ module: fs.readFileSync(path.join(workerData.pkg, "pyrite-wasm_bg.wasm")) });
glue.start_worker();
