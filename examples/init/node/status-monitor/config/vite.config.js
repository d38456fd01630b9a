import { defineConfig } from 'vite'

// The front end's dev server; it proxies the API's socket to the server below.
export default defineConfig({
  server: {
    port: 3000,
  },
})
