import { resolve } from "node:path"
import { defineConfig } from "vite"

/**
 * Two pages, the agent console and the supervisor view, built to dist/console and dist/supervisor. The server
 * serves them at /console/ and /supervisor/, and their shared scripts and styles at /console/assets/.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: "/console/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: {
      input: {
        console: resolve(import.meta.dirname, "console/index.html"),
        supervisor: resolve(import.meta.dirname, "supervisor/index.html"),
      },
    },
  },
})
