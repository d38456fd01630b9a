export const appName = "tasks"
