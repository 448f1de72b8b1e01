// A static server for the built IDE (dist/), with the cross-origin isolation headers the
// interpreter's worker needs. Used by the browser tests; also handy to look at a release build:
//   node tests/browser/serve.mjs [DIR] [PORT]     (default dist/, port 0 = any free one)
import fs from "fs";
import http from "http";
import path from "path";
import url from "url";

const TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
};

// Starts serving `root` on 127.0.0.1:`port`; resolves to the server once it listens.
export function serve(root, port = 0) {
    const base = path.resolve(root);
    const server = http.createServer((req, res) => {
        let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
        if (rel.endsWith("/")) rel += "index.html";
        const file = path.join(base, rel);
        const headers = {
            "Cross-Origin-Opener-Policy": "same-origin",
            "Cross-Origin-Embedder-Policy": "require-corp",
            "Cache-Control": "no-cache",
        };
        if (!file.startsWith(base + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
            res.writeHead(404, headers);
            res.end("not found");
            return;
        }
        headers["Content-Type"] = TYPES[path.extname(file)] || "application/octet-stream";
        res.writeHead(200, headers);
        fs.createReadStream(file).pipe(res);
    });
    return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

if (process.argv[1] === url.fileURLToPath(import.meta.url)) {
    const root = process.argv[2] || "dist";
    const server = await serve(root, Number(process.argv[3] || 0));
    console.log(`serving ${root} on http://127.0.0.1:${server.address().port}/`);
}
