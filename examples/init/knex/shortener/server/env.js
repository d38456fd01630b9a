require("dotenv").config();
const { cleanEnv, num, str } = require("envalid");

const env = cleanEnv(process.env, {
  PORT: num({ default: 3000 }),
  DB_CLIENT: str({ default: "better-sqlite3" }),
  DB_FILENAME: str({ default: "db/data" }),
  DB_HOST: str({ default: "localhost" }),
  DB_PORT: num({ default: 5432 }),
  DB_NAME: str({ default: "shortener" }),
  DB_USER: str({ default: "postgres" }),
  DB_PASSWORD: str({ default: "" }),
  JWT_SECRET: str({ devDefault: "dev-only" }),
});

module.exports = env;
