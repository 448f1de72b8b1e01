// Pyrite's service worker: the IDE keeps working offline once it has been loaded, and can be
// installed as an app.
//
// Same-origin GET requests go to the network first and their answers are kept in the cache;
// without a network the cached copy answers. Every answer it gives carries the cross-origin
// isolation headers, so SharedArrayBuffer (which the interpreter's worker needs) is available
// even from a cache or a server that does not send them.

const CACHE = "pyrite-v1";

self.addEventListener("install", (event) => {
    event.waitUntil(caches.open(CACHE).then((c) => c.addAll(["./"])).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
    event.waitUntil(
        caches.keys()
            .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
            .then(() => self.clients.claim()),
    );
});

// The page sends the URLs it loaded before this worker controlled it, so that a first visit is
// enough for offline use.
self.addEventListener("message", (event) => {
    const urls = event.data && event.data.type === "cache" ? event.data.urls : null;
    if (!Array.isArray(urls)) return;
    const same = urls.filter((u) => new URL(u, self.location).origin === self.location.origin);
    event.waitUntil(
        caches.open(CACHE).then((c) =>
            Promise.all(same.map((u) => c.match(u).then((hit) => hit || c.add(u).catch(() => {})))),
        ),
    );
});

function isolated(response) {
    if (!response || response.status === 0 || response.type === "opaque") return response;
    const headers = new Headers(response.headers);
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    headers.set("Cross-Origin-Embedder-Policy", "require-corp");
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
    return new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
    });
}

self.addEventListener("fetch", (event) => {
    const request = event.request;
    if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
    event.respondWith(
        (async () => {
            const cache = await caches.open(CACHE);
            try {
                const response = await fetch(request);
                if (response.ok) await cache.put(request, response.clone());
                return isolated(response);
            } catch (err) {
                const hit = await cache.match(request, { ignoreSearch: true });
                if (hit) return isolated(hit);
                if (request.mode === "navigate") {
                    const shell = await cache.match("./");
                    if (shell) return isolated(shell);
                }
                throw err;
            }
        })(),
    );
});
