import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The API server in development; in production it serves dist/ itself. */
const apiServer = 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': apiServer,
      '/healthz': apiServer,
      '/socket.io': { target: apiServer, ws: true },
      // Only the minutes socket (/minutes/<sessionId>); the page /minutes is the app's archive.
      '^/minutes/.+': { target: apiServer, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The lazily loaded minutes chunk (TipTap + ProseMirror + Yjs) is about 520 kB by itself.
    chunkSizeWarningLimit: 600,
  },
});
