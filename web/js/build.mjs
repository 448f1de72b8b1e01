// Bundles web/js/widgets.js (CodeMirror, xterm.js) into crates/ide/js/bundle.js, and xterm's
// stylesheet into web/xterm.css. Run by trunk before each build (Trunk.toml); writes a file only
// when its contents changed, so an unchanged bundle does not make cargo rebuild the IDE.
import { build } from "esbuild";
import fs from "fs";
import path from "path";
import url from "url";

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "../..");
const release = process.argv.includes("--release") || process.env.TRUNK_PROFILE === "release";

function writeIfChanged(file, data) {
    const old = fs.existsSync(file) ? fs.readFileSync(file) : null;
    if (old && Buffer.compare(old, Buffer.from(data)) === 0) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
}

const result = await build({
    entryPoints: [path.join(root, "web/js/widgets.js")],
    bundle: true,
    format: "esm",
    minify: release,
    legalComments: "none",
    target: "es2022",
    write: false,
    logLevel: "warning",
});
writeIfChanged(path.join(root, "crates/ide/js/bundle.js"), result.outputFiles[0].contents);
writeIfChanged(
    path.join(root, "web/xterm.css"),
    fs.readFileSync(path.join(root, "node_modules/@xterm/xterm/css/xterm.css")),
);
