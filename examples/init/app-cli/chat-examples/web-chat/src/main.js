export const app = true
