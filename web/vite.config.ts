/// <reference types="vitest/config" />
// The explorer is served by the API under /ui/; every asset is bundled (no CDN).
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = process.env.NEWSKG_API ?? "http://localhost:8000";

export default defineConfig({
  base: "/ui/",
  plugins: [react()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  // `npm run dev` proxies the API so the app talks to /graphql as in production.
  server: { proxy: { "/graphql": api } },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
